"""What documents publishes (DocumentIssued, DocumentRendered, LetterNumbered) and serves over HTTP: lists, PDFs,
verification."""
from __future__ import annotations

import hashlib

import httpx
import pytest

from services.documents.bootstrap import bootstrap
from services.documents.messages import to_message
from shared.events import from_wire
from shared.contracts import EventMessage
from system.demo import scenarios
from shared.settings import Settings
from tests.case_log import CaseLog
from tests.unit.test_documents import documents, feed, fetch


def published(app) -> list[EventMessage]:
    notifications = app.recorder.select_notifications(start=0, limit=1000)
    return [m for n in notifications if (m := to_message(app.mapper.to_domain_event(n), n.id)) is not None]


def test_each_revision_its_first_rendering_and_the_letter_number_are_published(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    walked = log.walk(scenarios()[7])
    feed(app, walked)
    messages = published(app)
    issued = [m for m in messages if m.type == "DocumentIssued"]
    assert [(m.data.kind, m.data.revision) for m in issued][:3] == [
        ("surat_masuk", 1), ("surat_masuk", 2), ("surat_permintaan_data", 1)]
    signed = next(m for m in issued if m.data.kind == "surat_jawaban" and m.data.number)
    assert (signed.step, signed.data.kind, signed.data.revision) == (10, "surat_jawaban", 4)
    assert signed.note == "Surat Jawaban revisi 4 (050/001/BAPPEDA/2026)"
    assert signed.occurred_at == next(m for m in walked if m.step == 10).occurred_at  # the fact's, not a clock's
    assert signed.data.template == "surat_jawaban" and len(signed.data.data_digest) == 64
    numbered = [m for m in messages if m.type == "LetterNumbered"]
    assert [(m.case_id, m.data.number) for m in numbered] == [(log.case_id, "050/001/BAPPEDA/2026")]
    assert not [m for m in messages if m.type == "DocumentRendered"]  # nothing fetched, nothing rendered

    pdf = fetch(app, log.case_id, "surat_jawaban")
    rendered = [m for m in published(app) if m.type == "DocumentRendered"]
    assert [(m.data.kind, m.data.revision, m.step) for m in rendered] == [("surat_jawaban", 4, 10)]
    assert rendered[0].data.sha256 == hashlib.sha256(pdf).hexdigest() and rendered[0].data.size == len(pdf)
    assert rendered[0].note == "Surat Jawaban revisi 4: PDF dibuat"
    assert all(from_wire(m.to_wire()) == m for m in published(app))


@pytest.fixture
async def client(tmp_path):
    service = bootstrap(Settings(persistence="memory", data_dir=tmp_path, public_url="https://sop.example.go.id"))
    log = CaseLog("sop-c")
    feed(service.app, log.walk(scenarios()[7]))
    transport = httpx.ASGITransport(app=service.http)  # no lifespan: nothing touches Redis
    async with httpx.AsyncClient(transport=transport, base_url="http://documents") as http:
        yield http, log


def reply(listed: list[dict]) -> dict:
    return next(d for d in listed if d["kind"] == "surat_jawaban")


async def test_a_cases_documents_are_listed_and_downloaded(client):
    http, log = client
    listed = (await http.get(f"/cases/{log.case_id}/documents")).json()["items"]
    assert [d["kind"] for d in listed] == ["surat_masuk", "surat_permintaan_data", "disposisi_surat",
                                          "konsep_surat_jawaban", "hasil_pengolahan_data", "surat_jawaban",
                                          "pertinggal_surat_jawaban"]
    letter = reply(listed)
    assert letter["verify_url"] == f"https://sop.example.go.id/verify/{log.case_id}/surat_jawaban/4"
    assert letter["sha256"] is None and letter["size"] is None  # not fetched yet: not rendered yet
    pdf = await http.get(letter["download"])
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    first = await http.get(letter["download"], params={"revision": 1})
    letter = reply((await http.get(f"/cases/{log.case_id}/documents")).json()["items"])
    assert hashlib.sha256(pdf.content).hexdigest() == letter["sha256"] == pdf.headers["x-document-sha256"]
    assert letter["size"] == len(pdf.content)
    assert hashlib.sha256(first.content).hexdigest() == letter["revisions"][0]["sha256"]
    assert [r["sha256"] is None for r in letter["revisions"]] == [False, True, True, False]
    assert (await http.get(f"/cases/{log.case_id}/documents/buku_tamu.pdf")).status_code == 404
    assert (await http.get(letter["download"], params={"revision": 9})).status_code == 404
    assert (await http.get(letter["download"], params={"revision": 0})).status_code == 422


async def test_verification_accepts_the_original_and_rejects_one_changed_byte(client):
    http, log = client
    letter = reply((await http.get(f"/cases/{log.case_id}/documents")).json()["items"])
    original = (await http.get(letter["download"])).content
    genuine = (await http.post("/verify", content=original)).json()
    assert genuine["genuine"] and genuine["document"]["number"] == "050/001/BAPPEDA/2026"
    assert genuine["document"]["current"] and "applicant" not in genuine["document"]
    tampered = bytearray(original)
    tampered[len(tampered) // 2] ^= 0x01
    rejected = (await http.post("/verify", content=bytes(tampered))).json()
    assert rejected["genuine"] is False and "altered" in rejected["reason"]
    assert (await http.post("/verify", content=b"")).status_code == 422


async def test_verification_by_qr_reference_hash_and_number(client):
    http, log = client
    unfetched = (await http.get(f"/verify/{log.case_id}/surat_jawaban/2")).json()["document"]
    assert unfetched["sha256"] is None and unfetched["size"] is None and unfetched["number"] is None
    for revision in (2, 4):
        await http.get(f"/cases/{log.case_id}/documents/surat_jawaban.pdf", params={"revision": revision})
    letters = reply((await http.get(f"/cases/{log.case_id}/documents")).json()["items"])["revisions"]
    older = (await http.get(f"/verify/{log.case_id}/surat_jawaban/2")).json()["document"]
    assert older["sha256"] == letters[1]["sha256"] and not older["current"] and older["latest_revision"] == 4
    by_hash = (await http.get("/verify", params={"sha256": letters[3]["sha256"].upper()})).json()
    assert by_hash["document"]["revision"] == 4
    by_number = (await http.get("/verify", params={"number": "050/001/BAPPEDA/2026"})).json()
    assert [(d["kind"], d["revision"]) for d in by_number["documents"]] == [("surat_jawaban", 4),
                                                                           ("pertinggal_surat_jawaban", 4)]
    register = (await http.get("/verify", params={"number": log.register_number})).json()["documents"]
    assert {d["kind"] for d in register} >= {"surat_masuk", "disposisi_surat"}
    for bad, status in [({"sha256": "abc"}, 422), ({}, 422), ({"sha256": "0" * 64}, 404),
                        ({"number": "999/999/X/2026"}, 404)]:
        assert (await http.get("/verify", params=bad)).status_code == status
    assert (await http.get(f"/verify/{log.case_id}/surat_jawaban/5")).status_code == 404


async def test_each_rendering_is_timed_for_the_metrics(tmp_path):
    service, log = bootstrap(Settings(persistence="memory", data_dir=tmp_path)), CaseLog("sop-a")
    feed(service.app, log.open())
    transport = httpx.ASGITransport(app=service.http)
    async with httpx.AsyncClient(transport=transport, base_url="http://documents") as http:
        assert 'sop_document_render_seconds_count{kind="buku_tamu"}' not in (await http.get("/metrics")).text
        for _ in range(2):  # the second is served from the store
            assert (await http.get(f"/cases/{log.case_id}/documents/buku_tamu.pdf")).status_code == 200
        metrics = (await http.get("/metrics")).text
    assert 'sop_document_render_seconds_count{kind="buku_tamu"} 1.0' in metrics
