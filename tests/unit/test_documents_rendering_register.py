"""The buku register of a period as a landscape PDF and a CSV; Indonesian dates without a locale."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

from pypdf import PdfReader

from services.documents.rendering import LetterheadSettings, register_csv, render_register
from services.documents.rendering.formatting import singkat, tanggal, waktu
from services.documents.rendering.samples import REGISTER_ROWS

PERIOD = (date(2026, 11, 1), date(2026, 11, 30))


def test_register_pdf_is_a_landscape_table_of_the_period():
    pdf = render_register(REGISTER_ROWS, *PERIOD, LetterheadSettings())
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert [round(float(v)) for v in page.mediabox[2:]] == [842, 595]
    text = " ".join(page.extract_text().split())
    for expected in ["BUKU REGISTER", "Periode 1 November 2026 s.d. 30 November 2026", "No. register", "Pemohon",
                     "Instansi", "Perihal", "Tanggal selesai", "REG/2026/000124", "25 November 2026", "Diproses",
                     "Selesai", "sop-c"]:
        assert expected in text, expected
    assert render_register(REGISTER_ROWS, *PERIOD, LetterheadSettings()) == pdf


def test_empty_register_says_so():
    text = PdfReader(io.BytesIO(render_register([], *PERIOD, LetterheadSettings()))).pages[0].extract_text()
    assert "Tidak ada permohonan pada periode ini." in " ".join(text.split())


def test_register_csv_has_every_row_and_column_in_indonesian_with_a_bom():
    text = register_csv(REGISTER_ROWS)
    assert text.startswith("\ufeff")  # Excel on Windows reads UTF-8 only with the BOM
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["No. register"] for r in rows] == ["REG/2026/000123", "REG/2026/000124"]
    assert list(rows[0]) == ["No.", "No. register", "Tanggal", "Pemohon", "Instansi", "SOP", "Perihal", "Status",
                             "Hasil", "Tanggal selesai"]
    assert rows[0]["Tanggal selesai"] == "2026-11-25" and rows[1]["Tanggal selesai"] == "" and rows[1]["SOP"] == "sop-c"
    assert (rows[0]["Status"], rows[0]["Hasil"], rows[1]["Status"]) == ("Ditutup", "Selesai", "Diproses")
    assert "closed" not in text and "completed" not in text


def test_indonesian_dates_and_wib_times():
    assert tanggal(date(2026, 11, 28)) == "28 November 2026"
    assert tanggal("2026-02-03") == "3 Februari 2026"
    utc = datetime(2026, 8, 17, 2, 5, tzinfo=timezone.utc)
    assert waktu(utc) == "17 Agustus 2026 pukul 09.05 WIB"  # UTC shown in WIB
    assert waktu(datetime(2026, 8, 17, 23, 30, tzinfo=timezone(timedelta(hours=9)))) == "17 Agustus 2026 pukul 21.30 WIB"
    assert waktu("2026-12-31T20:00:00+00:00") == "1 Januari 2027 pukul 03.00 WIB"
    assert singkat(utc) == "17/08/2026 09.05 WIB"
    assert tanggal(None) == "-"
