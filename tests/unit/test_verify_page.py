"""The QR code opens an Indonesian page on a phone (genuine, signed or draft; kind, number, date; no applicant
data); a client asking for JSON keeps its JSON."""
from __future__ import annotations

import json

from shared.http.verify_page import verify_html, wants_html

DOCUMENT = {"case_id": "c1", "kind": "surat_jawaban", "title": "Surat Jawaban", "number": "050/001/BAPPEDA/2026",
            "revision": 4, "issued_at": "2026-11-27T17:15:00+00:00", "sha256": "ab" * 32, "current": True,
            "latest_revision": 4, "status": "signed", "status_label": "ditandatangani"}


def test_a_browser_gets_the_page_and_an_api_client_its_json():
    assert wants_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert not wants_html("application/json") and not wants_html("*/*") and not wants_html(None)
    assert not wants_html("application/json, text/html;q=0.5")


def test_a_signed_letter_reads_as_genuine_and_signed_in_indonesian():
    page = verify_html(json.dumps({"genuine": True, "document": DOCUMENT}).encode(), 200, "BAPPEDA Kabupaten Ketapang")
    for expected in ("Asli dan sudah ditandatangani", "Surat Jawaban", "050/001/BAPPEDA/2026", "28 November 2026",  # 00.15 WIB: the agency's day, not UTC's
                     'lang="id"', 'name="viewport"'):
        assert expected in page


def test_a_draft_says_konsep_belum_ditandatangani_and_an_unknown_code_not_found():
    draft = DOCUMENT | {"number": None, "status": "draft", "status_label": "konsep, belum ditandatangani"}
    page = verify_html(json.dumps({"genuine": True, "document": draft}).encode(), 200, "BAPPEDA")
    assert "KONSEP" in page and "konsep, belum ditandatangani" in page and "(belum bernomor)" in page
    missing = verify_html(b'{"error": "document_not_found"}', 404, "BAPPEDA")
    assert "tidak ditemukan" in missing and "Asli" not in missing
