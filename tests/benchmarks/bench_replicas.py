"""Issue 10's measure: step commands/s, p99 and CPU per command with one and with two processes of every
service on PostgreSQL, beside SQLite with one, one driver, one run.

    python -m tests.benchmarks.bench_replicas [--pairs 2] [--cases 60] [--concurrency 16]

Each run starts its target fresh (own temp dir, Redis prefix and PostgreSQL schemas, dropped after), drives
the closed loop (closed_loop.py; with two gateways each client keeps to one, as a sticky balancer would),
waits until every follower is idle, and reads the CPU of every process of the target, Redis and the
PostgreSQL server included (both shared with any other work on the machine). The runs rotate their order
from one round to the next; the figures are medians. Not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path

import psutil

from tests.benchmarks.closed_loop import closed_loop
from tests.benchmarks.meter import CLIENT, ProcessMeter, spent
from tests.benchmarks.report import write_json
from tests.benchmarks.replica_targets import start_replicated
from tests.benchmarks.system import ROOT, percentiles

TARGETS = {"sqlite ×1": ("sqlite", 1), "postgres ×1": ("postgres", 1), "postgres ×2": ("postgres", 2)}


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL server process now (backends come and go with connections)."""
    total = 0.0
    for proc in psutil.process_iter(["name"]):
        if proc.info["name"] in ("postgres", "postgresql"):
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
    return total


def measure(name: str, args: argparse.Namespace) -> dict:
    persistence, replicas = TARGETS[name]
    with tempfile.TemporaryDirectory(prefix="bench-replicas-") as tmp:
        target = start_replicated(Path(tmp), persistence, replicas)
        try:
            with ProcessMeter(target.pids) as meter:
                cpu0, pg0 = meter.cpu(), postgres_cpu()
                closed = asyncio.run(closed_loop(target.urls, args.cases, args.concurrency))
                settled = target.settle()
                cpu = spent(cpu0, meter.cpu()) | {"postgres": postgres_cpu() - pg0}
        finally:
            target.stop()
    commands = closed.commands_ok or 1
    services = sum(v for k, v in cpu.items() if k not in (CLIENT, "redis-server", "postgres"))
    return {"target": name, "settled": settled, "errors": closed.errors[:5], "commands": closed.commands_ok,
            "commands_per_s": closed.commands_per_s, "step": percentiles(closed.step_latency),
            "cpu_ms_services": services / commands * 1000, "cpu_ms_redis": cpu.get("redis-server", 0) / commands * 1000,
            "cpu_ms_postgres": cpu["postgres"] / commands * 1000,
            "cpu_ms_all": (services + cpu.get("redis-server", 0) + cpu["postgres"]) / commands * 1000}


def print_table(runs: dict[str, list[dict]]) -> None:
    base = "sqlite ×1"
    med = {n: {k: statistics.median(r[k] for r in rs) for k in ("commands_per_s", "cpu_ms_services", "cpu_ms_redis",
                                                              "cpu_ms_postgres", "cpu_ms_all")}
           | {"p99": statistics.median(r["step"]["p99_ms"] for r in rs),
              "p50": statistics.median(r["step"]["p50_ms"] for r in rs)} for n, rs in runs.items() if rs}
    rows = [("step commands/s", "commands_per_s", "/s"), ("step p50", "p50", "ms"), ("step p99", "p99", "ms"),
            ("CPU per command, services", "cpu_ms_services", "ms"), ("  + Redis", "cpu_ms_redis", "ms"),
            ("  + PostgreSQL server", "cpu_ms_postgres", "ms"), ("CPU per command, all", "cpu_ms_all", "ms")]
    names = list(med)
    print(f"{'figure':32}" + "".join(f"{n:>16}" for n in names) + "".join(f"{n + ' ÷ ' + base:>24}" for n in names[1:]))
    for label, key, unit in rows:
        cells = "".join(f"{med[n][key]:>13.1f} {unit:2}" for n in names)
        ratios = "".join(f"{(med[n][key] / med[base][key] if med[base][key] else float('nan')):>23.2f}×"
                         for n in names[1:])
        print(f"{label:32}{cells}{ratios}")
    cores = 8
    print(f"\nOn {cores} cores, if every process scaled and nothing else were the limit: about "
          + ", ".join(f"{n}: {cores * 1000 / med[n]['cpu_ms_all']:.0f}/s" for n in names)
          + " (cores ÷ CPU per command, all processes); measured here on " + str(os.cpu_count()) + " cores.")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_replicas", description=__doc__.split("\n")[0])
    p.add_argument("--pairs", type=int, default=2, help="rounds of every target, order rotated; medians reported")
    p.add_argument("--cases", type=int, default=60, help="SOP C cases per run")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--targets", default=",".join(TARGETS))
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench_replicas.json")
    args = p.parse_args(argv)
    names = args.targets.split(",")
    runs: dict[str, list[dict]] = {n: [] for n in names}
    for round_ in range(args.pairs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            print(f"round {round_ + 1}/{args.pairs}: {name} …", file=sys.stderr, flush=True)
            runs[name].append(measure(name, args))
    print_table(runs)
    write_json({"config": vars(args) | {"out": str(args.out)}, "runs": runs}, args.out)
    return 1 if any(r["errors"] or not r["settled"] for rs in runs.values() for r in rs) else 0


if __name__ == "__main__":
    sys.exit(main())
