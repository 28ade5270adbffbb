"""Read latency `?as_of=` an instant against the plain read of the same case, in one run.

    python -m tests.benchmarks.bench_as_of [--reads N]

Starts the four services (real Redis, own prefix, SQLite in a temp dir), walks one SOP C case through
its longest branch (the data redone once, parts withheld: about 30 events in its audit trail), waits until
every service has recorded its part, then reads the case, its audit trail, its SLA figures and its
documents N times each (default 200), one at a time: plain, and `as_of` the instant between steps 6 and 7
(folded from every service's log on each read). Writes bench-results/bench_as_of.json. Not a test.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import httpx

from system.demo import auth, run_scenario, scenarios
from tests.benchmarks.system import ROOT, delete_keys, percentiles, start_system
from tests.e2e.as_of_support import between_steps, settled_trail

PATHS = {"case": "", "audit": "/audit", "sla": "/sla", "documents": "/documents"}


def timed(api: httpx.Client, url: str, params: dict, n: int) -> list[float]:
    found = []
    for _ in range(n):
        start = time.perf_counter()
        answer = api.get(url, params=params, headers=auth("petugas_tu"))
        found.append(time.perf_counter() - start)
        assert answer.status_code == 200, answer.text
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=200)
    reads = parser.parse_args().reads
    prefix = f"bench-as-of-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as data:
        system = start_system(prefix, Path(data), ["intake", "routing", "documents", "sla"])
        try:
            with httpx.Client(base_url=system.url("intake"), timeout=30) as api:
                case_id = run_scenario(api, scenarios()[8], 901)
                trail = settled_trail(api, case_id)
                instant = next(i for d, f, i in between_steps(trail) if (d["step"], f["step"]) == (6, 7))
                figures: dict = {"events_in_trail": len(trail), "reads": reads, "at": datetime.now().isoformat()}
                for name, path in PATHS.items():
                    url = f"/cases/{case_id}{path}"
                    figures[name] = {"plain": percentiles(timed(api, url, {}, reads)),
                                     "as_of": percentiles(timed(api, url, {"as_of": instant.isoformat()}, reads))}
        finally:
            system.stop()
            delete_keys(prefix)
    out = ROOT / "bench-results" / "bench_as_of.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2))
    for name in PATHS:
        plain, then = figures[name]["plain"], figures[name]["as_of"]
        print(f"{name:<10} plain p50 {plain['p50_ms']} ms p99 {plain['p99_ms']} ms   "
              f"as_of p50 {then['p50_ms']} ms p99 {then['p99_ms']} ms")
    print(f"({figures['events_in_trail']} events in the trail; {out})")


if __name__ == "__main__":
    main()
