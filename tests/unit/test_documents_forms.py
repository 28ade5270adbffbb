"""Forms as a clerk reads them back from the PDF: no page bare but for its footer, checklists that agree
with the decision, a berita acara that opens and is signed like one."""
from __future__ import annotations

import io

from pypdf import PdfReader

from system.demo import scenarios
from tests.case_log import CaseLog
from tests.unit.test_documents import documents, feed, fetch


def pages_of(app, case_id: str, kind: str) -> list[str]:
    pdf = fetch(app, case_id, kind)
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def body_of(page: str) -> str:
    """A page's text without the footer's verification lines."""
    return page.split("Dokumen ini diterbitkan oleh")[0] + page.split("halaman ")[-1][2:]


def test_the_signatures_of_a_result_sheet_never_stand_alone_on_a_page(tmp_path):
    app = documents(tmp_path)
    for n, length in enumerate((0, 6, 15, 30), 1):  # from the demo's notes to ones that fill pages
        log, words = CaseLog("sop-a", n), "catatan panjang " * length
        feed(app, log.open() + [log.complete(2, "registered", note="Dicatat " + words),
                                log.complete(4, "to_sub_koordinator", note="Telaah " + words),
                                log.complete(5, "needs_admin", note="Admin " + words),
                                log.complete(6, "facilitated", note="Fasilitasi " + words),
                                log.complete(7, "recorded", note="Hasil dicatat di buku register"),
                                log.complete(8, "received"), log.close("completed")])
        pages = pages_of(app, log.case_id, "lembar_hasil_koordinasi")
        signed = next(p for p in pages if "Diserahkan oleh" in p)
        assert "Hasil dicatat di buku register" in signed  # the last row of the history goes with them
        assert all(len(body_of(p).split()) > 8 for p in pages), pages


def test_the_verification_sheet_of_an_incomplete_request_does_not_say_every_item_is_there(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    feed(app, log.open() + [log.complete(2, "incomplete", note="Tujuan penggunaan informasi belum dijelaskan"),
                            log.close("incomplete")])
    text = " ".join(pages_of(app, log.case_id, "surat_permintaan_data"))
    assert "Keputusan : Tidak lengkap" in text
    assert " Ada " not in f" {text} "  # no item is declared sufficient by a clerk who found the request incomplete
    assert "Tercantum" in text
    assert "Kelengkapan menurut petugas verifikasi Tidak lengkap: Tujuan penggunaan informasi belum dijelaskan" in text


def test_the_verification_sheet_of_a_verified_request_says_the_items_are_there(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    feed(app, log.open() + [log.complete(2, "verified")])
    text = " ".join(pages_of(app, log.case_id, "surat_permintaan_data"))
    assert "Keputusan : Lengkap dan terverifikasi" in text and "Ada" in text
    assert "Tercantum" not in text and "Kelengkapan menurut petugas" not in text
