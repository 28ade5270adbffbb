"""Intake's read models applying routing's messages: one transaction per message (the baseline, as
before) beside one transaction per read of 100, on a SQLite file. `python -m tests.benchmarks.bench_projection_batches`"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from services.intake.views.store import ViewStore
from system.demo import scenarios
from tests.case_log import CaseLog

CASES, BATCH, ROUNDS = 200, 100, 3


def messages() -> list:
    found = []
    for n in range(CASES):
        found += CaseLog("sop-c", n).walk(scenarios()[7])
    return found


def rate(apply_all, log: list) -> float:
    started = time.perf_counter()
    apply_all(log)
    return len(log) / (time.perf_counter() - started)


def main() -> None:
    log = messages()
    one_by_one, batched = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(ROUNDS):  # interleaved, so the machine's load hurts both alike
            single = ViewStore(Path(tmp) / f"single-{r}.db")
            one_by_one.append(rate(lambda ms: [single.apply(m) for m in ms], log))
            batches = ViewStore(Path(tmp) / f"batch-{r}.db")
            batched.append(rate(lambda ms: [batches.apply_batch(ms[i:i + BATCH]) for i in range(0, len(ms), BATCH)],
                                log))
            assert single.snapshot() == batches.snapshot()
    base, mine = sorted(one_by_one)[ROUNDS // 2], sorted(batched)[ROUNDS // 2]
    print(f"{len(log)} routing messages of {CASES} SOP C cases into intake's read models, median of {ROUNDS}")
    print(f"  one transaction per message (baseline): {base:,.0f} messages/s")
    print(f"  one transaction per read of {BATCH}:        {mine:,.0f} messages/s  ({mine / base:.1f}x)")


if __name__ == "__main__":
    main()
