"""Every output kind renders as an A4 PDF from its template: title, values, QR, deterministic bytes."""
from __future__ import annotations

import copy
import io
import subprocess
import sys

import pytest
from pypdf import PdfReader

from services.documents.rendering import KINDS, LetterheadSettings, load_template, render
from services.documents.rendering.samples import SAMPLES, VERIFY_URL

LETTERHEAD = LetterheadSettings()
KEY_VALUES = {
    "buku_tamu": ["Rina Marlina", "23 November 2026 pukul 08.10 WIB"],
    "buku_register": ["REG/2026/000123", "Selesai", "25 November 2026 pukul 14.00 WIB"],
    "lembar_koordinasi": ["Catatan koordinasi", "Ir. Dedi Kurniawan", "Mohon dijawab dengan data RPJMD"],
    "lembar_hasil_koordinasi": ["Diserahkan oleh", "Diterima oleh", "bahan paparan"],
    "surat_masuk": ["421/215/DISDIKBUD-A/2026", "20 November 2026", "Penyusunan Rencana Kerja"],
    "surat_permintaan_data": ["Lengkap dan terverifikasi", "Tujuan penggunaan informasi"],
    "disposisi_surat": ["Diteruskan kepada", "Sediakan data", "Periksa kerahasiaan data"],
    "konsep_surat_jawaban": ["KONSEP", "Riwayat konsep", "lampiran diperbarui"],
    "hasil_pengolahan_data": ["pendidikan.xlsx", "47,1 KB", "9f2c4e1a7b3d5f60"],
    "surat_jawaban": ["050/007/BAPPEDA/2026", "Ketapang, 28 November 2026", "Data NIK penerima bantuan",
                      "UU 14/2008 pasal 17 huruf h",
                      "HARTO, S.E., M.Si.", "Pembina Utama Muda (IV/c)", "NIP. 19670612 199604 1 001",
                      "Yth. Kepala Dinas Pendidikan", "Menindaklanjuti surat Saudara Nomor 421/215/DISDIKBUD-A/2026 "
                      "tanggal 20 November 2026", "Demikian disampaikan", "Tembusan: 1. Bupati Ketapang"],
    "pemberitahuan_tertulis": ["050/008/BAPPEDA/2026", "Pemberitahuan penolakan permohonan informasi publik",
                               "Menindaklanjuti surat Saudara Nomor 421/215/DISDIKBUD-A/2026", "tidak dapat kami penuhi",
                               "Alasan", "Data penerima bantuan memuat data pribadi", "Dasar hukum",
                               "UU 14/2008 pasal 22 ayat (7) huruf c dan pasal 17", "keberatan secara tertulis",
                               "atasan Pejabat Pengelola Informasi dan Dokumentasi (PPID)", "30 (tiga puluh) hari kerja",
                               "pasal 35 sampai dengan pasal 37", "Komisi Informasi", "HARTO, S.E., M.Si.",
                               "NIP. 19670612 199604 1 001", "Yth. Kepala Dinas Pendidikan", "Tembusan:"],
    "pertinggal_surat_jawaban": ["PERTINGGAL (ARSIP)", "Tidak untuk dikirim", "050/007/BAPPEDA/2026",
                                 "Paraf koordinasi", "Sekretaris Badan", "MY", "HARTO, S.E., M.Si.",
                                 "NIP. 19670612 199604 1 001", "Demikian disampaikan"],
}


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_every_output_kind_has_a_template_and_a_sample():
    assert set(KINDS) == set(SAMPLES) == set(KEY_VALUES) == {
        "buku_tamu", "buku_register", "lembar_koordinasi", "lembar_hasil_koordinasi", "surat_masuk",
        "surat_permintaan_data", "disposisi_surat", "konsep_surat_jawaban", "hasil_pengolahan_data", "surat_jawaban",
        "pertinggal_surat_jawaban", "pemberitahuan_tertulis"}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_kind_renders_an_a4_pdf_with_title_kop_values_and_verification(kind):
    rendered = render(kind, SAMPLES[kind], LETTERHEAD, VERIFY_URL)
    template = load_template(kind)
    assert rendered.pdf.startswith(b"%PDF-") and rendered.pdf.rstrip().endswith(b"%%EOF")
    assert (rendered.template, rendered.template_version) == (kind, template.version)
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]  # A4 in points
    text = text_of(rendered.pdf)
    for expected in [template.title, "PEMERINTAH KABUPATEN KETAPANG", "BADAN PERENCANAAN PEMBANGUNAN DAERAH",
                     VERIFY_URL, "Keaslian dan keutuhannya", *KEY_VALUES[kind]]:
        assert expected in text, expected
    assert "{" not in text and "None" not in text  # no placeholder or missing value leaks into the paper


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_same_input_gives_identical_bytes(kind):
    first = render(kind, SAMPLES[kind], LETTERHEAD, VERIFY_URL)
    again = render(kind, copy.deepcopy(SAMPLES[kind]), LetterheadSettings(), VERIFY_URL)
    assert first.pdf == again.pdf and first.sha256 == again.sha256


def test_identical_bytes_in_a_fresh_process():
    code = ("from services.documents.rendering import render, LetterheadSettings\n"
            "from services.documents.rendering.samples import SAMPLES, VERIFY_URL\n"
            "print(render('surat_jawaban', SAMPLES['surat_jawaban'], LetterheadSettings(), VERIFY_URL).sha256)")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert other == render("surat_jawaban", SAMPLES["surat_jawaban"], LETTERHEAD, VERIFY_URL).sha256


def test_a_changed_field_changes_the_hash():
    base = render("surat_jawaban", SAMPLES["surat_jawaban"], LETTERHEAD, VERIFY_URL).sha256
    changed = copy.deepcopy(SAMPLES["surat_jawaban"])
    changed["withheld_parts"][0]["legal_ground"] = "UU 14/2008 pasal 17 huruf g"
    assert render("surat_jawaban", changed, LETTERHEAD, VERIFY_URL).sha256 != base
    other_url = render("surat_jawaban", SAMPLES["surat_jawaban"], LETTERHEAD, VERIFY_URL + "x").sha256
    assert other_url != base


def test_qr_code_is_a_vector_form_on_every_page_and_encodes_the_url():
    rendered = render("lembar_koordinasi", SAMPLES["lembar_koordinasi"], LETTERHEAD, VERIFY_URL)
    for page in PdfReader(io.BytesIO(rendered.pdf)).pages:
        forms = {name: obj.get_object() for name, obj in page["/Resources"]["/XObject"].items()}
        qr = [form for name, form in forms.items() if "verifyqr" in name]
        assert qr and qr[0]["/Subtype"] == "/Form"
        assert qr[0].get_data().count(b" re") > 100  # the QR modules, drawn as rectangles
        links = [a.get_object()["/A"]["/URI"] for a in page["/Annots"]]
        assert VERIFY_URL in links


@pytest.mark.parametrize("kind", ["surat_jawaban", "konsep_surat_jawaban"])  # the draft has a grey watermark
def test_the_qr_code_printed_on_each_page_scans_to_the_verification_url(kind):
    import pypdfium2
    import zxingcpp

    rendered = render(kind, SAMPLES[kind], LETTERHEAD, VERIFY_URL)
    pdf = pypdfium2.PdfDocument(rendered.pdf)
    for page in pdf:  # rendered as a phone camera would see the printed page, then decoded
        scanned = [code.text for code in zxingcpp.read_barcodes(page.render(scale=2).to_pil())]
        assert scanned == [VERIFY_URL]


def test_letterhead_is_configurable_from_the_environment(monkeypatch):
    monkeypatch.setenv("SOP_LETTERHEAD_ADDRESS", "Jalan Contoh No. 1, Ketapang 78811")
    settings = LetterheadSettings()
    text = text_of(render("buku_tamu", SAMPLES["buku_tamu"], settings, VERIFY_URL).pdf)
    assert "Jalan Contoh No. 1, Ketapang 78811" in text


def test_unknown_kind_is_refused():
    with pytest.raises(KeyError):
        render("surat_cinta", {}, LETTERHEAD, VERIFY_URL)


def test_missing_values_print_a_dash_and_an_unsigned_letter_says_so():
    text = text_of(render("surat_jawaban", {"subject": "Uji"}, LETTERHEAD, VERIFY_URL).pdf)
    assert "(belum bernomor)" in text and "(belum ditandatangani)" in text and "Ketapang, -" in text
