"""`make bench-audit-cost`: what the hash chain and per-subject encryption cost a step command (issue 11).

    python -m tests.benchmarks.bench_audit_cost [--pairs 3] [--cases 150] [--concurrency 32]

The real system with both audit guarantees on (the defaults) beside the same system with both off
(SOP_EVENT_CHAIN=false, SOP_PII_ENCRYPTION=false), each run started fresh in its own temp dir and Redis
prefix (targets.start_real) and driven by the closed loop of `make bench` (closed_loop.py: SOP C, each
client sends a step only after a read showed the one before). Runs are interleaved in pairs, on then off,
then off then on, so drift and other work on the machine fall on both alike; the figures are medians over
the pairs. CPU is each target process's user+system time from before the loop until the target settled,
÷ the step commands. After each run the stores are read to show the switches took effect (chain links and
keys written, or none). Goal (issue 11): the guarantees cost at most 10 %. Judged on CPU per step command
(every target process, redis-server included), since commands/s on a shared machine moves with other work:
each pair's on ÷ off is its own verdict, and the goal is met when the median of the pairs' ratios is ≤ 1.10
and no pair exceeds 1.10 by more than the off-vs-off noise ((max − min) ÷ median of the off runs' CPU per
step command); not met when the median is > 1.10 and no pair is below 1.10 by more than the noise; else not
settled, also with a noise wider than 10 % (audit_cost_verdict.py). Commands/s is printed beside it. Then
the guarantees' own work measured in-process (audit_cost_parts.py), an estimate that noise hardly moves.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.audit_cost_parts import parts
from tests.benchmarks.audit_cost_report import print_parts, print_report
from tests.benchmarks.audit_cost_verdict import GOAL
from tests.benchmarks.closed_loop import closed_loop
from tests.benchmarks.meter import CLIENT, ProcessMeter, spent
from tests.benchmarks.report import write_json
from tests.benchmarks.system import ROOT, percentiles
from tests.benchmarks.targets import start_real
from tests.benchmarks.written import audit_rows_written
from tests.support import NO_RATE_LIMITS

SWITCHES = {"on": {"SOP_EVENT_CHAIN": "true", "SOP_PII_ENCRYPTION": "true"},
            "off": {"SOP_EVENT_CHAIN": "false", "SOP_PII_ENCRYPTION": "false"}}


def measure(mode: str, args: argparse.Namespace) -> dict:
    """One fresh system with the guarantees `mode`, one closed loop: its figures."""
    with tempfile.TemporaryDirectory(prefix=f"bench-audit-{mode}-") as tmp:
        # The loop's reads poll every 5 ms under one credential: on a quiet machine they pass its bucket
        # (100/s) and a 429 ends a case as an error, so no rate limits here (the same in both modes).
        target = start_real(Path(tmp), log=args.out.with_name("bench_audit_cost-services.log"),
                            env=SWITCHES[mode] | NO_RATE_LIMITS)
        try:
            with ProcessMeter(target.pids) as meter:
                before = meter.cpu()
                closed = asyncio.run(closed_loop(target.url, args.cases, args.concurrency,
                                                 deadline_s=args.closed_deadline))
                settled = target.settle()  # the work behind the answers (documents, SLA) is a step's cost too
                cpu = spent(before, meter.cpu())
        finally:
            target.stop()
        written = audit_rows_written(Path(tmp) / "data")
    own = [p for p in cpu if p != CLIENT]
    commands = closed.commands_ok or 1
    return {"mode": mode, "settled": settled, "cases": closed.cases, "commands": closed.commands_ok,
            "wall_s": closed.wall_s, "commands_per_s": closed.commands_per_s, "step": percentiles(closed.step_latency),
            "cpu_s": cpu, "cpu_ms_per_step": sum(cpu[p] for p in own) / commands * 1000,
            "cpu_ms_per_step_unshared": sum(cpu[p] for p in own if p != "redis-server") / commands * 1000,
            **{f"cpu_ms_per_step[{p}]": cpu[p] / commands * 1000 for p in own},
            "written": written, "deadline_hit": closed.deadline_hit,
            "errors": closed.errors[:10], "error_count": len(closed.errors)}


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_audit_cost", description=__doc__.split("\n")[0])
    p.add_argument("--pairs", type=int, default=3, help="interleaved on/off pairs (at least 2); medians are reported")
    p.add_argument("--cases", type=int, default=150, help="SOP C cases of the closed loop in each run")
    p.add_argument("--concurrency", type=int, default=32, help="clients of the closed loop")
    p.add_argument("--closed-deadline", type=float, default=120, help="a closed loop starts no case after this (s)")
    p.add_argument("--budget", type=float, default=600, help="start no pair that would end after this (s)")
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench_audit_cost.json")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.pairs < 2:
        sys.exit("--pairs: at least 2, so that each mode runs first once")
    args.out.with_name("bench_audit_cost-services.log").unlink(missing_ok=True)
    runs: dict[str, list[dict]] = {"on": [], "off": []}
    load, started, pair_s = [os.getloadavg()], time.perf_counter(), 0.0
    for pair in range(args.pairs):
        if pair >= 2 and time.perf_counter() - started + pair_s * 1.1 > args.budget:
            print(f"pair {pair + 1}: skipped, it would end past the {args.budget:.0f} s budget", file=sys.stderr)
            break
        pair_started = time.perf_counter()
        for mode in ("on", "off") if pair % 2 == 0 else ("off", "on"):
            print(f"pair {pair + 1}/{args.pairs}: both {mode} …", file=sys.stderr, flush=True)
            runs[mode].append(measure(mode, args))
        pair_s = max(pair_s, time.perf_counter() - pair_started)
    load.append(os.getloadavg())
    config = vars(args) | {"out": str(args.out), "cores": os.cpu_count(), "load_before_after": load,
                           "wall_s": time.perf_counter() - started, "pairs_run": len(runs["off"]),
                           "goal_cost": GOAL, "switches": SWITCHES}
    verdict = print_report(config, runs)
    done = [r for r in runs["on"] + runs["off"] if r["commands"]]
    own = parts(statistics.median(r["written"]["events"] / r["commands"] for r in done),
                statistics.median(r["cases"] / r["commands"] for r in done)) if done else None
    if own is not None:
        print_parts(own, statistics.median(r["cpu_ms_per_step"] for r in runs["off"]))
    write_json({"config": config, "runs": runs, "verdict": verdict, "parts": own}, args.out)
    print(f"figures written to {args.out}")
    failed = any(r["error_count"] or not r["settled"] or r["deadline_hit"] for rs in runs.values() for r in rs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
