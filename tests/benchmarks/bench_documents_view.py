"""CPU of documents' Issuer.view over every version of 20 filed SOP C cases, as filing calls it (`python -m
tests.benchmarks.bench_documents_view sealed|plain`): what opening the facts of a case costs a revision."""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from services.documents.application import Documents
from services.documents.bootstrap import issuer
from shared.eventstore import store_env
from shared.pii.keystore import open_keystore
from shared.settings import Settings
from system.demo import scenarios
from tests.case_log import CaseLog
from tests.benchmarks.bench_documents_reveal import sealed_opening


def main(sealed: bool) -> None:
    with tempfile.TemporaryDirectory() as t:
        settings = Settings(persistence="sqlite", data_dir=Path(t))
        app = Documents(issuer(settings), env=store_env(settings, "documents"))
        keys, sc = open_keystore(settings), next(s for s in scenarios() if s.sop_id == "sop-c")
        files = []
        for n in range(1, 21):
            log = CaseLog(sc.sop_id, n); msgs = log.walk(sc)
            for m in (sealed_opening(log, msgs, keys) if sealed else msgs):
                app.handle_message(m)
            files.append(app.case_file(log.case_id))
        took = []
        for _ in range(5):
            c, views = time.process_time(), 0
            for f in files:
                sop = app.issuer.library.get(f.sop_id, f.sop_version)
                for v in range(1, f.contiguous_through() + 1):
                    app.issuer.view(f, sop, v); views += 1
            took.append((time.process_time() - c) / views * 1e6)
        print(f"Issuer.view ({'sealed' if sealed else 'plain'}): {statistics.median(took):.1f} µs CPU a view, {views} views")


if __name__ == "__main__":
    main(sys.argv[1:] == ["sealed"])
