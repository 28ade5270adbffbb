"""What opening the sealed personal data costs documents' filing, in this process (issue 11).

    python -m tests.benchmarks.bench_documents_reveal [--cases 60] [--rounds 3] [--profile]

A Documents app on SQLite (as bench_documents.py builds it) files the demo's SOP C cases of
tests/case_log.py twice in each round: once with the CaseOpened's applicant and form sealed for a subject
whose key is in the app's keys.db (as intake and routing hand them over with SOP_PII_ENCRYPTION on), once
plain (as with it off). Printed: CPU ms per filed fact of each, medians over the rounds, and the share the
sealing adds. Every revision issues from `Issuer.view`, which opens the case's facts so far: this is the
cost that grows with the facts of a case. `--profile` prints where the sealed run spends its time.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from services.documents.application import Documents
from services.documents.bootstrap import issuer
from shared.eventstore import store_env
from shared.pii.fields import sealed_form
from shared.pii.keystore import open_keystore
from shared.settings import Settings
from system.demo import scenarios
from tests.case_log import CaseLog

AT = datetime(2026, 11, 25, tzinfo=timezone.utc)


def sealed_opening(log: CaseLog, messages: list, keys) -> list:
    """The CaseOpened as routing passes it on with sealing on: the applicant's fields sealed for the case."""
    opened = messages[0]
    form = sealed_form(opened.data.form, log.case_id, keys.create(log.case_id, AT))
    data = opened.data.model_copy(update={"form": form, "applicant": form["applicant"]})
    return [opened.model_copy(update={"data": data})] + messages[1:]


def file_cases(data_dir: Path, cases: int, sealed: bool, profile: cProfile.Profile | None = None) -> float:
    """CPU ms per filed fact."""
    settings = Settings(persistence="sqlite", data_dir=data_dir)
    app = Documents(issuer(settings), env=store_env(settings, "documents"))
    keys, scenario = open_keystore(settings), next(s for s in scenarios() if s.sop_id == "sop-c")
    logs = []
    for n in range(1, cases + 1):
        log = CaseLog(scenario.sop_id, n)
        messages = log.walk(scenario)
        logs.append(sealed_opening(log, messages, keys) if sealed else messages)
    gc.collect()  # the last run's app is garbage now: not this run's to pay for
    filed, cpu = 0, time.process_time()
    if profile:
        profile.enable()
    for messages in logs:
        filed += sum(app.handle_message(m) for m in messages)
    if profile:
        profile.disable()
    return (time.process_time() - cpu) / filed * 1000


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_documents_reveal")
    p.add_argument("--cases", type=int, default=60)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--profile", action="store_true")
    args = p.parse_args(argv)
    took: dict[bool, list[float]] = {True: [], False: []}
    profile = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory(prefix="bench-docs-reveal-") as tmp:
        for r in range(args.rounds):
            for sealed in ((True, False) if r % 2 == 0 else (False, True)):
                took[sealed].append(file_cases(Path(tmp) / f"{sealed}{r}", args.cases, sealed,
                                               profile if sealed else None))
    on, off = statistics.median(took[True]), statistics.median(took[False])
    print(f"documents filing SOP C, {args.cases} cases × {args.rounds} rounds: CPU per fact sealed {on:.3f} ms, "
          f"plain {off:.3f} ms; sealing adds {on - off:+.3f} ms ({(on - off) / off:+.1%}) "
          f"[sealed {' / '.join(f'{t:.3f}' for t in took[True])}; plain {' / '.join(f'{t:.3f}' for t in took[False])}]")
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(18)


if __name__ == "__main__":
    main()
