"""Personal data on each store: the key store on SQLite and PostgreSQL, intake's sealing and erasure, and
documents removing the PDFs that held an erased applicant's data while replay stays identical."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from services.documents import queries
from services.documents.application import Documents
from services.documents.bootstrap import issuer
from services.documents.issuing import Erased
from services.documents.on_request import Renderings
from services.documents.replay import rerender_all
from services.intake.application import Intake
from services.intake.erasure import erase
from shared.clock import FixedClock
from shared.contracts import stable_event_id
from shared.eventstore import store_env
from shared.events import PersonalDataErased
from shared.pii.envelope import ERASED, is_sealed
from shared.pii.fields import sealed_form
from shared.blobs_sql import SqlBlobStore, open_blobs
from shared.pii.keystore import open_keystore
from shared.pii.reveal import Revealer
from shared.roles import Actor, ActingAs
from shared.sop.machine import Refused
from system.demo import scenarios
from tests.case_log import LIBRARY, CaseLog

pytestmark = pytest.mark.integration
AT = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
OPERATOR = Actor(id="ops-1", name="Operator", roles=("operator",))
PORTAL = Actor(id="portal", name="Portal Layanan", roles=("pemohon",))
FORM = {"subject": "Konsultasi Renja", "applicant": {"name": "Budi Santoso", "institution": "Dinas PU",
                                                     "phone": "0812345678"}, "details": ""}


def test_the_key_store_keeps_keys_apart_and_an_erasure_holds_for_every_reader(store_settings):
    keys, other = open_keystore(store_settings), open_keystore(store_settings)  # two processes, one store
    key = keys.create("subject-1", AT)
    assert key and len(key) == 32 and keys.create("subject-1", AT) == key and other.key("subject-1") == key
    assert keys.keys(["subject-1", "nobody"]) == {"subject-1": key, "nobody": None}
    sealed = sealed_form(FORM, "subject-1", key)
    assert is_sealed(sealed["applicant"]["name"]) and sealed["applicant"]["institution"] == "Dinas PU"
    assert Revealer(other).reveal(sealed) == FORM
    other.erase("subject-1", AT)
    assert keys.key("subject-1") is None and keys.erased_at("subject-1") == AT.isoformat()
    assert keys.create("subject-1", AT) is None  # nothing is sealed for an erased subject again
    assert Revealer(keys).reveal(sealed)["applicant"] == {"name": ERASED, "institution": "Dinas PU", "phone": ERASED}
    other.erase("subject-1", AT + timedelta(days=1))  # again: the first erasure's time stays
    assert keys.erased_at("subject-1") == AT.isoformat()


def test_intake_seals_the_applicant_and_erases_only_outside_the_retention_period(store_settings):
    clock = FixedClock(AT)
    intake = Intake(LIBRARY, clock, env=store_env(store_settings, "intake"), keys=open_keystore(store_settings))
    request = intake.submit("sop-b", FORM, PORTAL)
    assert is_sealed(request.form["applicant"]["name"]) and "Budi" not in str(request.form)
    assert intake.submit("sop-b", FORM, PORTAL, request_id=request.id).id == request.id  # a retry still matches
    letter = intake.submit("sop-c", FORM | {"letter": {"number": "005/1/DPU", "date": "2026-11-20",
                                                      "purpose_of_use": "Renja"}}, PORTAL)
    assert is_sealed(letter.form["letter"]["number"]) and letter.form["letter"]["date"] == "2026-11-20"

    with pytest.raises(Refused) as refused:
        erase(intake, str(letter.id), "UU 27/2022", "atas permintaan", OPERATOR)
    assert refused.value.code == "retention_period" and "2028-11-25" in refused.value.reason
    clock.advance(timedelta(days=2 * 366))
    assert erase(intake, str(letter.id), "UU 27/2022", "atas permintaan", OPERATOR)["register_number"]
    with pytest.raises(Refused, match="no data subject"):
        erase(intake, "7d1f0c4e-0000-4000-8000-000000000000", "UU 27/2022", "x", OPERATOR)

    done = erase(intake, str(request.id), "UU 27/2022 pasal 8", "atas permintaan pemohon", OPERATOR)
    again = erase(intake, str(request.id), "UU 27/2022 pasal 8", "atas permintaan pemohon", OPERATOR)
    assert done == again and intake.keys.key(str(request.id)) is None
    stored = intake.request(str(request.id))
    assert stored.erasure["erased_by"]["role"] == "operator"
    assert intake.revealer.reveal(stored.form)["applicant"]["name"] == ERASED


def test_documents_remove_the_pdfs_that_held_an_erased_applicant_and_replay_stays_identical(store_settings):
    keys = open_keystore(store_settings)
    app = Documents(issuer(store_settings), env=store_env(store_settings, "documents"))
    log = CaseLog("sop-b", n=7)
    messages = log.walk(next(s for s in scenarios() if s.sop_id == "sop-b" and s.outcome == "completed"))
    key = keys.create(log.case_id, AT)
    opened = messages[0].data
    form = sealed_form(opened.form, log.case_id, key)
    messages[0] = messages[0].model_copy(update={"data": opened.model_copy(update={"form": form,
                                                                                   "applicant": form["applicant"]})})
    before, after = messages[:3], messages[3:]  # erased while open: the case goes on without the data
    for message in before:
        assert app.handle_message(message)
    pdf, meta = asyncio.run(Renderings(app).pdf(log.case_id, "buku_tamu"))
    assert "Pemohon 7" in queries_text(pdf)
    issued_before = sum(len(r) for r in app.case_file(log.case_id).documents.values())

    keys.erase(log.case_id, AT)
    erasure = PersonalDataErased(
        event_id=stable_event_id("intake", log.case_id, 2), source="intake", position=10_000, case_id=log.case_id,
        sop_id=log.sop.id, sop_version=log.sop.version, actor=ActingAs(id="ops-1", name="Operator", role="operator"),
        occurred_at=AT, recorded_at=AT,
        data={"data_subject_id": log.case_id, "legal_basis": "UU 27/2022", "reason": "atas permintaan"})
    assert app.handle_message(erasure) and not app.handle_message(erasure)
    assert not app.issuer.blobs.has(meta["sha256"])
    with pytest.raises(Erased):
        queries.document_pdf(app, log.case_id, "buku_tamu", meta["revision"])
    assert queries.verify_sha256(app, meta["sha256"])["number"] == meta["number"]  # the record stays
    with pytest.raises(Erased):  # never rendered before the erasure: it held the data too, so it is not made
        asyncio.run(Renderings(app).pdf(log.case_id, "buku_register", 1))

    for message in after:
        assert app.handle_message(message)
    later, _ = asyncio.run(Renderings(app).pdf(log.case_id, "lembar_hasil_koordinasi"))
    assert "[dihapus]" in queries_text(later) and "Pemohon 7" not in queries_text(later)
    report = rerender_all(Documents(issuer(store_settings), env=store_env(store_settings, "documents")))
    assert report.identical and report.erased == issued_before and report.rendered == 1


def queries_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def stored_of(blobs, tmp_path, case_id: str, sha256: str):
    """What is kept of a case's file, read past CaseFiles: its folder's file, or its row on PostgreSQL."""
    if isinstance(blobs, SqlBlobStore):
        def row() -> bytes | None:
            found = blobs.db.execute("SELECT content FROM blobs WHERE folder = ? AND sha256 = ?",
                                     (f"/cases/{case_id}", sha256)).fetchone()
            return bytes(found[0]) if found else None
        return row
    path = tmp_path / "blobs" / "cases" / case_id / sha256[:2] / sha256
    return lambda: path.read_bytes() if path.exists() else None


def test_uploads_are_kept_per_case_sealed_and_removed_with_the_erasure(store_settings, tmp_path):
    from services.intake.case_files import CaseFiles

    keys = open_keystore(store_settings)
    blobs = open_blobs(store_settings, "intake-blobs", tmp_path / "blobs")
    files, content = CaseFiles(blobs, keys), b"nama,nik\nBudi Santoso,6104\n"
    keys.create("case-1", AT)
    other = files.put("case-10", b"another case's file", "x.csv", "text/csv")  # a name the erased one begins
    meta = files.put("case-1", content, "data-Budi-Santoso.csv", "text/csv")
    stored = stored_of(blobs, tmp_path, "case-1", meta["sha256"])
    assert meta["size"] == len(content) and b"Budi" not in stored()
    attached = files.attachment("case-1", meta["sha256"])
    assert is_sealed(attached["name"]) and Revealer(keys).reveal(attached)["name"] == "data-Budi-Santoso.csv"
    keys.erase("case-1", AT)
    files.erase("case-1")
    assert stored() is None and Revealer(keys).reveal(attached)["name"] == ERASED
    assert stored_of(blobs, tmp_path, "case-10", other["sha256"])() == b"another case's file"
    with pytest.raises(LookupError):
        files.put("case-1", content, "again.csv", "text/csv")
