"""Documents changes its cached case files in place (no copy per fact): a filing that fails must leave no
half-made change behind for the next read or the next attempt."""
from __future__ import annotations

import pytest

from services.documents.application import Documents
from services.documents.bootstrap import issuer
from services.documents.issuing import Issuer
from shared.eventstore import store_env
from shared.settings import Settings
from system.demo import scenarios
from tests.case_log import CaseLog

SOP_C = next(s for s in scenarios() if s.sop_id == "sop-c" and s.outcome == "completed")


def test_a_filing_that_fails_halfway_changes_nothing_and_files_whole_when_tried_again(tmp_path, monkeypatch):
    settings = Settings(persistence="sqlite", data_dir=tmp_path)
    app, log = Documents(issuer(settings), env=store_env(settings, "documents")), CaseLog(SOP_C.sop_id)
    messages = list(log.walk(SOP_C))
    for m in messages[:3]:
        app.handle_message(m)
    before = app.case_file(log.case_id)
    facts, documents = len(before.facts), {k: len(v) for k, v in before.documents.items()}

    def broken(self, case_file, after, through):  # the fact is recorded on the cached file, then this fails
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(Issuer, "issue", broken)
        with pytest.raises(OSError):
            app.handle_message(messages[3])
    after = app.case_file(log.case_id)
    assert len(after.facts) == facts and {k: len(v) for k, v in after.documents.items()} == documents
    assert messages[3].event_id not in after.source_event_ids

    for m in messages[3:]:
        app.handle_message(m)
    reopened = Documents(issuer(settings), env=store_env(settings, "documents"))  # from the store, no cache
    assert app.case_file(log.case_id).source_event_ids == reopened.case_file(log.case_id).source_event_ids
    assert app.case_file(log.case_id).version == reopened.case_file(log.case_id).version


def filed(app: Documents, case_ids: list[str]) -> list:
    return [(c, f.version, sorted(f.source_event_ids), {k: [(r["revision"], r["data_digest"], r["number"])
                                                           for r in revs] for k, revs in f.documents.items()})
            for c in case_ids if (f := app.case_file(c))]


@pytest.mark.parametrize("batch", [2, 7, 50])
def test_a_batch_filed_in_one_transaction_files_what_one_at_a_time_files(tmp_path, batch):
    logs = [CaseLog(SOP_C.sop_id) for _ in range(4)]
    walks = [list(log.walk(SOP_C)) for log in logs]
    interleaved = [m for moves in zip(*walks) for m in moves]  # cases opened and moved within one batch
    apps = []
    for name, size in (("one", 1), ("batched", batch)):
        settings = Settings(persistence="sqlite", data_dir=tmp_path / name)
        app = Documents(issuer(settings), env=store_env(settings, "documents"))
        for start in range(0, len(interleaved), size):
            assert app.handle_batch(interleaved[start:start + size]) == {}
        apps.append(app)
    case_ids = [log.case_id for log in logs]
    assert filed(apps[0], case_ids) == filed(apps[1], case_ids)
    assert len(filed(apps[1], case_ids)) == 4
    assert apps[1].recorder.max_tracking_id("routing") == interleaved[-1].position
    again = apps[1].handle_batch(interleaved[:batch])  # a batch read again files nothing twice
    assert again == {} and filed(apps[0], case_ids) == filed(apps[1], case_ids)
