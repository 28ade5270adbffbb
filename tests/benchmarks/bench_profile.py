"""Where the CPU of one step command goes in the real system: `make bench-profile`.

    python -m tests.benchmarks.bench_profile [--cases 40] [--concurrency 16]

Starts the four services, each under a CPU-clock sampler (profiled_service.py; the services
themselves are unchanged), warms them with a few cases, then switches sampling on and runs a
closed-loop burst of SOP C cases, counting until the system has settled so that the documents and SLA
work behind the answers is in the profile. Prints a text summary (profile_summary.py) and writes it to
bench-results/bench_profile.txt, with each service's samples (JSON) in bench-results/profile/.
Not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.closed_loop import closed_loop
from tests.benchmarks.meter import ProcessMeter, spent
from tests.benchmarks.profile_summary import summary
from tests.benchmarks.system import ROOT, wait_for
from tests.benchmarks.targets import start_real


def signal_all(pids: dict[str, int], signum: int) -> None:
    for pid in pids.values():
        os.kill(pid, signum)


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_profile", description=__doc__.split("\n")[0])
    p.add_argument("--cases", type=int, default=40, help="SOP C cases in the profiled burst")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "profile")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    for old in args.out.glob("*.json"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        target = start_real(Path(tmp), log=args.out / "services-stderr.log", profile_into=args.out)
        try:
            asyncio.run(closed_loop(target.url, 4, 4, first_n=900_000))  # imports, caches, first documents
            target.settle()
            services = {n: pid for n, pid in target.pids.items() if n not in target.shared_pids}
            with ProcessMeter(services) as meter:
                signal_all(services, signal.SIGUSR1)
                cpu0, started = meter.cpu(), time.perf_counter()
                burst = asyncio.run(closed_loop(target.url, args.cases, args.concurrency))
                target.settle()
                wall_s, cpu = time.perf_counter() - started, spent(cpu0, meter.cpu())
                signal_all(services, signal.SIGUSR2)
            written = wait_for(lambda: all((args.out / f"{n}.json").exists() for n in services), 60)
        finally:
            target.stop()
    if not written:
        print("not every service wrote its profile", file=sys.stderr)
    commands = burst.commands_ok or 1
    text = summary(args.out, commands, wall_s, {n: cpu[n] * 1000 / commands for n in services})
    if burst.errors:
        text += f"\n\n{len(burst.errors)} errors in the burst; first: {burst.errors[:3]}"
    print(text)
    (args.out.parent / "bench_profile.txt").write_text(text + "\n")
    print(f"\nwritten to {args.out.parent / 'bench_profile.txt'}; each service's samples in {args.out}")
    return 1 if burst.errors or not written else 0


if __name__ == "__main__":
    sys.exit(main())
