"""Documents through the one public API: listed per case, downloaded, verified, the register book exported."""
from __future__ import annotations

import csv
import hashlib
import io
import time
from datetime import date

import pytest
from pypdf import PdfReader

from system.demo import auth, every_item, run_scenario, scenarios
from system.demo_documents import case_documents

pytestmark = pytest.mark.integration
CLERK = auth("petugas_tu")


def documents_once_settled(api, case_id: str, kinds: set[str], numbered: bool = False,
                           timeout_s: float = 20) -> list[dict]:
    """The case's documents once documents has filed the case's last fact (they trail routing's events)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        listed = case_documents(api, case_id, CLERK)
        signed = any(d["kind"] == "surat_jawaban" and d["number"] for d in listed)
        if {d["kind"] for d in listed} >= kinds and (signed or not numbered):
            return listed
        time.sleep(0.1)
    raise AssertionError(f"case {case_id} has {[d['kind'] for d in listed]}, expected {sorted(kinds)}")


def test_a_signed_reply_is_listed_downloaded_and_verified_through_the_gateway(api):
    case_id = run_scenario(api, scenarios()[8], 501)  # data wrong, redone, parts withheld
    listed = documents_once_settled(api, case_id, {"surat_masuk", "surat_permintaan_data", "disposisi_surat",
                                                   "konsep_surat_jawaban", "hasil_pengolahan_data", "surat_jawaban"},
                                    numbered=True)
    letter = next(d for d in listed if d["kind"] == "surat_jawaban")
    assert letter["number"] and letter["revision"] == 4 and letter["verify_url"].startswith(str(api.base_url))
    assert letter["sha256"] is None  # rendered on first download, not when issued
    assert api.get(letter["verify_url"]).json()["document"]["sha256"] is None
    pdf = api.get(letter["download"], headers=CLERK)
    letter = next(d for d in case_documents(api, case_id, CLERK) if d["kind"] == "surat_jawaban")
    assert pdf.status_code == 200 and hashlib.sha256(pdf.content).hexdigest() == letter["sha256"]
    assert api.get(letter["download"], headers=CLERK).content == pdf.content  # from the store, the same bytes
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert letter["number"] in text and "Pemohon 501" in text
    assert api.get(letter["download"]).status_code == 401  # downloads need credentials

    # Verification needs none: the QR code's URL, the file itself, its hash, its number.
    assert api.get(letter["verify_url"]).json()["document"]["sha256"] == letter["sha256"]
    # Signed for real (the DEMO CA `prepare` made): the reference check validates the stored letter's signature,
    # an upload of the same bytes too, and a copy with one byte changed is neither genuine nor validly signed.
    signature = api.get(letter["verify_url"]).json()["signature"]
    assert signature["valid"] and signature["signed_at"] and "DEMO" in signature["signer"]
    assert api.post("/verify", content=pdf.content).json()["signature"]["valid"]
    changed = bytearray(pdf.content)
    changed[len(changed) // 3] ^= 0x01
    tampered = api.post("/verify", content=bytes(changed)).json()
    assert not tampered["genuine"] and not tampered["signature"]["valid"]
    assert api.post("/verify", content=pdf.content).json()["genuine"] is True
    tampered = pdf.content.replace(letter["number"].encode(), b"050/999/BAPPEDA/2026", 1)
    assert tampered != pdf.content and api.post("/verify", content=tampered).json()["genuine"] is False
    assert api.get("/verify", params={"number": letter["number"]}).json()["documents"][0]["revision"] == 4
    revisions, deadline, issued, rendered = sum(len(d["revisions"]) for d in listed), time.monotonic() + 10, [], []
    while (len(issued) < revisions or not rendered) and time.monotonic() < deadline:  # another projection
        trail = every_item(api, f"/cases/{case_id}/audit", "petugas_tu")
        issued = [e for e in trail if e["type"] == "DocumentIssued"]
        rendered = [e for e in trail if e["type"] == "DocumentRendered"]
    assert len(issued) == revisions and [e["note"] for e in rendered] == ["Surat Jawaban revisi 4: PDF dibuat"]


def test_a_refused_request_gets_its_signed_written_notice_through_the_gateway(api):
    case_id = run_scenario(api, next(s for s in scenarios() if s.title == "request refused"), 502)
    listed = documents_once_settled(api, case_id, {"surat_masuk", "surat_permintaan_data", "disposisi_surat",
                                                   "pemberitahuan_tertulis"})
    notice = next(d for d in listed if d["kind"] == "pemberitahuan_tertulis")
    assert notice["number"] and notice["status"] == "signed"
    pdf = api.get(notice["download"], headers=CLERK)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in (notice["number"], "Pemohon 502", "tidak dapat kami penuhi (ditolak)", "Alasan",
                     "keberatan secara tertulis", "30 (tiga puluh) hari kerja", "pasal 35 sampai dengan pasal 37"):
        assert expected in text, expected
    signature = api.get(notice["verify_url"]).json()["signature"]
    assert signature["valid"] and "DEMO" in signature["signer"]


def test_the_archive_copy_of_the_reply_carries_the_paraf_and_no_signature(api):
    case_id = run_scenario(api, scenarios()[7], 503)  # answered in full
    listed = documents_once_settled(api, case_id, {"surat_jawaban", "pertinggal_surat_jawaban"}, numbered=True)
    sent, kept = (next(d for d in listed if d["kind"] == k) for k in ("surat_jawaban", "pertinggal_surat_jawaban"))
    texts = {}
    for name, document in (("sent", sent), ("kept", kept)):
        pdf = api.get(document["download"], headers=CLERK)
        assert pdf.status_code == 200, (name, pdf.status_code, pdf.text[:300])
        texts[name] = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Paraf koordinasi" in texts["kept"] and "PERTINGGAL (ARSIP)" in texts["kept"]
    assert "Paraf koordinasi" not in texts["sent"] and "PERTINGGAL" not in texts["sent"]
    assert kept["number"] == sent["number"] and api.get(kept["verify_url"]).json().get("signature") is None


def test_every_case_lists_its_documents_and_the_register_book_exports(api):
    cases = {run_scenario(api, s, 600 + n): s for n, s in enumerate(scenarios()) if s.sop_id != "sop-c"}
    for case_id, scenario in cases.items():
        expected = {"buku_tamu", "buku_register", "lembar_koordinasi"}
        if scenario.outcome == "completed":
            expected.add("lembar_hasil_koordinasi")
        assert {d["kind"] for d in documents_once_settled(api, case_id, expected)} == expected
    today = date.today().isoformat()
    book = api.get("/register/book", params={"from": "2020-01-01", "to": "2099-12-31", "format": "csv"},
                   headers=CLERK)
    assert book.text.startswith("\ufeff")  # the BOM Excel on Windows needs
    rows = list(csv.DictReader(io.StringIO(book.text.removeprefix("\ufeff"))))
    assert book.status_code == 200 and {f"Pemohon {600 + n}" for n in range(7)} <= {r["Pemohon"] for r in rows}
    pdf = api.get("/register/book", params={"from": today, "to": today}, headers=CLERK)
    assert pdf.headers["content-type"] == "application/pdf" and PdfReader(io.BytesIO(pdf.content)).pages
    bad = api.get("/register/book", params={"from": today, "to": "2000-01-01"}, headers=CLERK)
    assert bad.status_code == 422


def test_the_buku_tamu_prints_the_tracking_code_that_opens_the_status_page(api):
    answered: dict = {}
    case_id = run_scenario(api, scenarios()[0], 502, answered)  # SOP A: a guest at the front desk
    guest_book = next(d for d in documents_once_settled(api, case_id, {"buku_tamu"}) if d["kind"] == "buku_tamu")
    pdf = api.get(guest_book["download"], headers=CLERK)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Kode lacak" in text and answered["tracking_code"] in text and answered["register_number"] in text
    status = api.get(f"/track/{answered['register_number']}", params={"code": answered["tracking_code"]})
    assert status.status_code == 200 and status.json()["register_number"] == answered["register_number"]
