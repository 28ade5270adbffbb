"""The disposisi and the lembar surat masuk print the answer's due date routing recorded at registration."""
from __future__ import annotations

from datetime import datetime, timezone

from system.demo import scenarios
from tests.case_log import CaseLog
from tests.unit.test_documents import documents, feed, revisions, text_of

DUE = datetime(2026, 12, 9, 1, 0, tzinfo=timezone.utc)  # what routing counts from Wednesday 25 November 08:00 WIB


def answered(due: datetime | None) -> CaseLog:
    log = CaseLog("sop-c")
    scenario = next(s for s in scenarios() if s.sop_id == "sop-c" and s.outcome == "completed")
    log.messages = log.open(answer_due_at=due) + [log.complete(step, decision) for step, decision, _ in scenario.moves]
    return log


def test_the_disposisi_and_the_lembar_surat_masuk_print_the_due_date(tmp_path):
    app, log = documents(tmp_path), answered(DUE)
    feed(app, log.messages)
    disposisi = text_of(app, log.case_id, "disposisi_surat")
    assert "Batas waktu : 9 Desember 2026" in disposisi
    masuk = text_of(app, log.case_id, "surat_masuk")
    assert "Batas waktu jawaban : 9 Desember 2026" in masuk
    assert "Ketentuan batas waktu : 10 hari kerja sejak diterima" in masuk


def test_a_case_opened_before_the_due_date_was_recorded_prints_none(tmp_path):
    app, log = documents(tmp_path), answered(None)
    feed(app, log.messages)
    assert "Batas waktu : -" in text_of(app, log.case_id, "disposisi_surat")
    assert set(revisions(app, log.case_id)) >= {"disposisi_surat", "surat_masuk"}
