"""Throughput and latency of the whole system, beside raw baselines measured in the same run.

    python -m tests.benchmarks.bench_flow [--cases N] [--concurrency C]

Starts the four services on free ports (real Redis, its own key prefix, SQLite in a temp dir), then:
phase 1 drives N cases through the HTTP API with nothing else running (commands/s, latency); phase 2
drives N more while probing every k-th step command for when the register and the audit trail show it
(probes add load, so they are kept out of phase 1). Then it replays the read models, measures the
baselines, prints a table and writes bench-results/bench_flow.json. Not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import uuid
from dataclasses import asdict
from pathlib import Path

from services.intake.views.store import VIEWS_VERSION
from system.launcher import SERVICES as LAUNCHED
from tests.benchmarks import baselines
from tests.benchmarks.drive import DriveResult, drive
from tests.benchmarks.live import sample_wire, settled, stream_lengths, timed_replay
from tests.benchmarks.report import print_table, write_json
from tests.benchmarks.system import (REDIS_URL, ROOT, MemorySampler, delete_keys, missing_services, percentiles,
                                     start_system)


def summarise(result: DriveResult) -> dict:
    found = asdict(result)
    for key in ("step_latency", "submit_latency", "opened_latency", "register_visible", "audit_visible",
                "get_latency"):
        found[key] = percentiles(found[key])
    found["command_latency"] = found.pop("step_latency")
    found["commands_per_s"] = result.commands_ok / result.wall_s
    found["cases"] = len(found["cases"])
    return found


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_flow", description=__doc__.split("\n")[0])
    p.add_argument("--cases", type=int, default=60, help="cases per phase")
    p.add_argument("--concurrency", type=int, default=8, help="cases driven at once")
    p.add_argument("--probe-every", type=int, default=4, help="phase 2 probes every k-th step command")
    p.add_argument("--raw-messages", type=int, default=10_000, help="messages for the raw Redis baseline")
    p.add_argument("--raw-saves", type=int, default=2_000, help="saves for the raw event-store baseline")
    p.add_argument("--services", default=",".join(LAUNCHED), help="comma-separated; all four by default")
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench_flow.json")
    return p.parse_args(argv)


def run(args: argparse.Namespace, services: list[str], prefix: str, tmp: Path) -> dict:
    figures: dict = {}
    data = tmp / "data"
    views = data / f"intake-views-v{VIEWS_VERSION}.db"
    system = start_system(prefix, data, services)
    try:
        with MemorySampler({n: proc.pid for n, proc in system.processes.items()}) as memory:
            plain = asyncio.run(drive(system.url("intake"), args.cases, args.concurrency, probe_every=0))
            figures["settled_after_phase_1"] = settled(prefix, views)
            figures["streams_after_phase_1"] = streams = stream_lengths(prefix)
            probed = asyncio.run(drive(system.url("intake"), args.cases, args.concurrency, args.probe_every))
            figures["settled"] = settled(prefix, views)
        figures["drive"] = summarise(plain)
        figures["drive"]["stream_events_per_s"] = sum(streams.values()) / plain.wall_s
        figures["probed_drive"] = summarise(probed)
        figures["streams"] = stream_lengths(prefix)
        figures["memory"] = {"idle_mib": memory.idle, "peak_mib": memory.peak, "samples": memory.samples}
        figures["cpu_s_both_phases"] = memory.cpu_s
        figures["replay"] = asyncio.run(timed_replay(prefix, views, tmp / "replay.db"))
        wire = sample_wire(prefix)
    finally:
        system.stop()
    figures["raw_redis"] = baselines.raw_redis(REDIS_URL, f"{prefix}.raw-baseline", wire, args.raw_messages)
    figures["raw_saves"] = baselines.raw_saves(tmp / "raw-saves", args.raw_saves)
    figures["routing_direct"] = baselines.routing_direct(tmp / "routing-direct", args.cases)
    return figures


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    services = [s for s in args.services.split(",") if s]
    if missing := missing_services(services):
        print(f"services/{', services/'.join(missing)} not there yet (no main.py); "
              f"run with --services {','.join(s for s in services if s not in missing)}", file=sys.stderr)
        return 2
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    figures: dict = {"config": vars(args) | {"services": services, "prefix": prefix, "out": str(args.out)}}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-flow-") as tmp:
            figures |= run(args, services, prefix, Path(tmp))
    finally:
        figures["redis_keys_deleted"] = delete_keys(prefix)
    print_table(figures)
    write_json(figures, args.out)
    print(f"figures written to {args.out}")
    failed = figures["drive"]["errors"] or figures["probed_drive"]["errors"] or not figures["replay"]["identical"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
