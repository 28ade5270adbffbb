"""Issue 9's measure: the system with 100 and with 100,000 cases in its stores, beside the CRUD baseline with as many.

    python -m tests.benchmarks.bench_scale [--cases 100000] [--small 100] [--rounds 200] [--clients 1]

Goals: peak RSS per service ≤ 200 MB with 100,000 cases in the stores, and submit latency with 100,000 cases
in the register book within 1.2× of that with 100.

How the stores are filled (scale_seed.py, scale_targets.py): submitting 100,000 cases over HTTP would take
hours at the system's ~100 submissions/s. So intake's own application (`Intake.submit`, the call POST
/requests makes once it has checked the body and the caller), built from the services' settings, records the
N requests straight into intake's event store: register book and requests exactly as the POSTs would have
left them. Then the four services are started on that store and work the requests off with their own code
(routing opens each case, documents files it, the SLA starts its clocks, intake's and documents' read
models project every event), until their own lag gauges say nothing is left; they are stopped and started
again, and that start is what is measured. So the register book, intake's views, routing's cases, the case
files and the SLA clocks are those of N real submissions; only the HTTP front was skipped, and nothing it
keeps grows with the cases. The CRUD baseline's file gets N cases through its own store's `open_case`.

Then, on each target and size: every process's RSS once started and healthy, then the burst (scale_burst.py:
`--rounds` new submissions, each until 201 and until the register shows it, with the register's first page
and an old case by id read after each, and every service's /metrics every `--scrape-every` rounds, as
Prometheus reads them) with every process's peak RSS sampled, a pool's workers apart (scale_meter.py). The
services' peak while they took the N in is reported too: a service that has run through N cases since its
start is the other way to have N in its stores. Targets run one at a time, smallest size first, CRUD before
the system. All seeded cases stand open at step 2 (the SLA's worst case: every clock running); closed
cases, whose completed visits the SLA's scrape also reads, are not seeded. Not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.report import write_json
from tests.benchmarks.scale_burst import burst
from tests.benchmarks.scale_meter import PeakRss, tree_rss_mib
from tests.benchmarks.scale_report import print_report
from tests.benchmarks.scale_targets import STARTERS
from tests.benchmarks.system import ROOT, percentiles


def measure(target_name: str, cases: int, args: argparse.Namespace) -> dict:
    log = args.out.with_name("bench_scale-services.log")
    with tempfile.TemporaryDirectory(prefix=f"bench-scale-{target_name}-") as tmp:
        seeded = STARTERS[target_name](Path(tmp), cases, log)
        target = seeded.target
        try:
            time.sleep(args.after_start_s)  # the start's own work done (the SLA's first tick, relays' first look)
            after_start = tree_rss_mib(target.pids)
            with PeakRss(target.pids) as meter:
                found = asyncio.run(burst(target.url, args.rounds, cases + 1, seeded.old_cases, args.clients,
                                          seeded.metrics_urls, args.scrape_every))
        finally:
            target.stop()
    return {"target": target_name, "cases": cases, "seed_s": seeded.seed_s, "rss_after_start_mib": after_start,
            "peak_rss_mib": meter.peak_mib, "working_off_peak_mib": seeded.working_off_peak_mib,
            "submit": percentiles(found.submit_s), "visible": percentiles(found.visible_s),
            "register_page": percentiles(found.register_page_s), "old_case": percentiles(found.old_case_s),
            "metrics": {name: percentiles(s) for name, s in found.metrics_s.items()},
            "rounds": args.rounds, "wall_s": found.wall_s, "errors": found.errors[:20]}


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_scale", description=__doc__.split("\n")[0])
    p.add_argument("--cases", type=int, default=100_000, help="the large size: cases in the stores")
    p.add_argument("--small", type=int, default=100, help="the small size")
    p.add_argument("--rounds", type=int, default=200, help="submissions (each with two reads) in the burst")
    p.add_argument("--clients", type=int, default=1, help="rounds at a time")
    p.add_argument("--scrape-every", type=int, default=20, help="read every service's /metrics every k rounds")
    p.add_argument("--after-start-s", type=float, default=10, help="wait after a healthy start before reading RSS")
    p.add_argument("--targets", default="crud,system", help="comma-separated: crud, system")
    p.add_argument("--note", default="", help="said in the table's title (e.g. an extrapolation)")
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench_scale.json")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    runs: dict[tuple[str, int], dict] = {}
    for cases in (args.small, args.cases):
        for name in [n for n in args.targets.split(",") if n]:
            print(f"{name} with {cases:,} cases …", file=sys.stderr, flush=True)
            runs[(name, cases)] = measure(name, cases, args)
    print_report(runs, args.small, args.cases, args.note)
    write_json({"config": vars(args) | {"out": str(args.out)}, "runs": list(runs.values())}, args.out)
    print(f"figures written to {args.out}")
    return 1 if any(r["errors"] for r in runs.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
