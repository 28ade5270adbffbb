"""The headline of `make bench`: the real system beside a plain CRUD baseline, one driver, one run.

    python -m tests.benchmarks.bench_compare [--pairs 3] [--cases 300] [--concurrency 32] [--rate 100]

Each run starts its target fresh (its own temp dir; the real system with its own Redis prefix), drives
the closed loop (closed_loop.py; the cases are split over the pairs: 300 cases are 100 per run with 3
pairs, which keeps `make bench` under 10 minutes on 2 cores), waits until the target has settled, then
the open loop (open_loop.py), reading CPU and RSS of every process of the target (meter.py). Runs go in
alternating pairs, CRUD then system, then system then CRUD, so that load from other work on the machine
and drift over the run fall on both alike; the figures are the medians over the pairs. Both targets run
unpinned on the same cores, as does the driver. Not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
from functools import partial
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.benchmarks.closed_loop import closed_loop
from tests.benchmarks.compare_report import figures_of, print_comparison
from tests.benchmarks.meter import ProcessMeter, spent
from tests.benchmarks.open_loop import open_loop
from tests.benchmarks.report import write_json
from tests.benchmarks.system import ROOT
from tests.benchmarks.floor.target import start_floor
from tests.benchmarks.targets import STARTERS as REAL_AND_CRUD, start_real
from tests.support import NO_RATE_LIMITS

# The loop's clients read after every step under one credential per role: past the system's per-credential
# bucket (100/s) a 429 ends a case as an error. CRUD and the floor have no limits, so neither does the system
# here (bench_audit_cost does the same).
STARTERS = REAL_AND_CRUD | {"floor": start_floor, "system": partial(start_real, env=NO_RATE_LIMITS)}


def measure(name: str, args: argparse.Namespace) -> dict:
    """One run against one target: its figures (see compare_report.figures_of)."""
    phases: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        with timed(phases, "start"):
            target = STARTERS[name](Path(tmp), log=services_log(args))
        try:
            with ProcessMeter(target.pids) as meter:
                cpu0 = meter.cpu()
                with timed(phases, "closed loop"):
                    closed = asyncio.run(closed_loop(target.url, args.cases // args.pairs, args.concurrency,
                                                     deadline_s=args.closed_deadline))
                with timed(phases, "settle"):
                    settled = target.settle()  # the work behind the answers (documents, SLA) is a step's cost too
                cpu1 = meter.cpu()
                with timed(phases, "replay"):
                    replayed = target.replay() if target.replay else None
                # The open loop starts on a settled target too; its CPU is not read: a target that falls behind
                # would need the backlog drained first, and that is not bounded in time.
                with timed(phases, "open loop"):
                    opened = asyncio.run(open_loop(target.url, args.rate, args.seconds, args.probe_every,
                                                   ready=target.settle))
        finally:
            with timed(phases, "stop"):
                target.stop()
    figures = figures_of(name, closed, opened, spent(cpu0, cpu1), meter.peak_rss_mib, target.shared_pids, settled)
    phases |= {"of which open-loop setup": opened.setup_s, "of which settle before it": opened.ready_s}
    return figures | {"phases_s": {k: round(v, 1) for k, v in phases.items()}, "replay": replayed}


@contextlib.contextmanager
def timed(into: dict[str, float], phase: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    into[phase] = time.perf_counter() - started


def services_log(args: argparse.Namespace) -> Path:
    return args.out.with_name("bench_compare-services.log")


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_compare", description=__doc__.split("\n")[0])
    p.add_argument("--pairs", type=int, default=3, help="alternating CRUD/system pairs; medians are reported")
    p.add_argument("--cases", type=int, default=300, help="SOP C cases of the closed loop per target, over all pairs")
    p.add_argument("--closed-deadline", type=float, default=150, help="a closed loop starts no case after this (s)")
    p.add_argument("--concurrency", type=int, default=32, help="clients of the closed loop")
    p.add_argument("--rate", type=float, default=100, help="step commands/s of the open loop")
    p.add_argument("--seconds", type=float, default=20, help="how long the open loop sends")
    p.add_argument("--probe-every", type=int, default=4, help="open loop: time visibility of every k-th command")
    p.add_argument("--targets", default="crud,floor,system", help="comma-separated: crud, floor, system")
    p.add_argument("--budget", type=float, default=540, help="start no pair that would end after this (s)")
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench_compare.json")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    names = [n for n in args.targets.split(",") if n]
    runs: dict[str, list[dict]] = {n: [] for n in names}
    services_log(args).unlink(missing_ok=True)
    load, started, pair_s = [os.getloadavg()], time.perf_counter(), 0.0
    for pair in range(args.pairs):
        # Bounded in time on a loaded machine: fewer pairs rather than a run past the budget.
        if pair and time.perf_counter() - started + pair_s * 1.1 > args.budget:
            print(f"pair {pair + 1}: skipped, it would end past the {args.budget:.0f} s budget", file=sys.stderr)
            break
        pair_started = time.perf_counter()
        for name in names if pair % 2 == 0 else names[::-1]:
            print(f"pair {pair + 1}/{args.pairs}: {name} …", file=sys.stderr, flush=True)
            run_started = time.perf_counter()
            runs[name].append(measure(name, args) | {"run_s": time.perf_counter() - run_started})
        pair_s = max(pair_s, time.perf_counter() - pair_started)
    load.append(os.getloadavg())
    config = vars(args) | {"out": str(args.out), "cores": os.cpu_count(), "load_before_after": load,
                           "wall_s": time.perf_counter() - started, "pairs_run": len(runs[names[0]]),
                           "services_log": str(services_log(args))}
    print_comparison(config, runs)
    write_json({"config": config, "runs": runs}, args.out)
    print(f"figures written to {args.out}")
    return 1 if any(r["errors"] or not r["settled"] for rs in runs.values() for r in rs) else 0


if __name__ == "__main__":
    sys.exit(main())
