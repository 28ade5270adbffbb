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
    assert "Keputusan : Tidak lengkap" in text  # v2: "…, diteruskan untuk pemberitahuan tertulis"
    assert " Ada " not in f" {text} "  # no item is declared sufficient by a clerk who found the request incomplete
    assert "Tercantum" in text
    assert "Kelengkapan menurut petugas verifikasi Tidak lengkap: Tujuan penggunaan informasi belum dijelaskan" in text


def test_the_verification_sheet_of_a_verified_request_says_the_items_are_there(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    feed(app, log.open() + [log.complete(2, "verified")])
    text = " ".join(pages_of(app, log.case_id, "surat_permintaan_data"))
    assert "Keputusan : Lengkap dan terverifikasi" in text and "Ada" in text
    assert "Tercantum" not in text and "Kelengkapan menurut petugas" not in text


def test_terbilang_writes_the_numbers_of_a_date_in_words():
    from services.documents.rendering.terbilang import tanggal_terbilang, terbilang
    assert [terbilang(n) for n in (0, 11, 15, 25, 100, 118, 1000, 2026)] == [
        "nol", "sebelas", "lima belas", "dua puluh lima", "seratus", "seratus delapan belas", "seribu",
        "dua ribu dua puluh enam"]
    assert tanggal_terbilang("2026-11-25T04:00:00+00:00") == ("Rabu, tanggal dua puluh lima bulan November tahun "
                                                              "dua ribu dua puluh enam")


def test_the_berita_acara_opens_as_one_and_is_signed_by_both_parties(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    scenario = next(s for s in scenarios() if s.sop_id == "sop-c" and s.outcome == "completed")
    feed(app, log.walk(scenario))
    first = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(
        fetch(app, log.case_id, "hasil_pengolahan_data", 1))).pages)
    assert "Pada hari ini Rabu, tanggal dua puluh lima bulan November tahun dua ribu dua puluh enam" in first
    assert "PIHAK PERTAMA Yang menyerahkan" in first and "(belum ditandatangani)" in first  # not yet received
    text = " ".join(pages_of(app, log.case_id, "hasil_pengolahan_data"))  # once the Sub Koordinator checked it
    assert "DEWI LESTARI" in text and "menyerahkan kepada RINA OKTAVIANI" in text
    assert "PIHAK KEDUA Yang menerima" in text and "(belum ditandatangani)" not in text
    assert text.count("NIP.") == 2
    assert "Demikian berita acara ini dibuat dengan sebenarnya" in text


def test_no_document_of_any_branch_prints_a_role_id(tmp_path):
    from shared.agency import agency
    from tests.unit.test_documents import revisions

    app, ids = documents(tmp_path), [role for role in agency().roles if "_" in role]
    for n, scenario in enumerate(scenarios(), 1):
        log = CaseLog(scenario.sop_id, n)
        feed(app, log.walk(scenario))
        for kind in revisions(app, log.case_id):
            text = " ".join(pages_of(app, log.case_id, kind))
            assert not [role for role in ids if role in text], (scenario.title, kind)
