"""The capaian kinerja chart (PNG), the monitoring form (A4-landscape PDF), the same bytes every time, and
the HTTP route."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

import httpx
import pytest
from fastapi import FastAPI
from pypdf import PdfReader

from services.sla.report import ZONE
from services.sla.report_chart import render
from services.sla.report_csv import to_csv
from services.sla.report_form import render_form
from services.sla.report_format import period_label
from services.sla.report_routes import build_report_router
from shared.agency import agency
from shared.clock import FixedClock
from shared.http.errors import install_error_handling
from shared.staff import StaffDirectory
from tests.unit.test_sla_report import FIRST, LAST, LIBRARY, capaian_kinerja, sample

PNG, PDF = b"\x89PNG\r\n\x1a\n", b"%PDF-"


@pytest.fixture(scope="module")
def report():
    return capaian_kinerja(sample(), LIBRARY, FIRST, LAST)


def test_the_chart_is_a_png_identical_when_rendered_twice(report):
    first = render(report, "png")
    assert first.startswith(PNG) and render(report, "png") == first


def test_the_form_is_a4_landscape_identical_when_rendered_twice(report):
    pdf = render_form(report)
    assert pdf.startswith(PDF) and render_form(report) == pdf
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {(842, 595)}


def test_the_form_has_the_kop_period_steps_and_the_penilais_signature(report):
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(render_form(report))).pages]
    text = " ".join(" ".join(pages).split())
    officer = StaffDirectory.from_file().officers.sop_monitoring
    for shown in ("PEMERINTAH KABUPATEN KETAPANG", "BADAN PERENCANAAN PEMBANGUNAN DAERAH",
                  "FORMULIR MONITORING PELAKSANAAN SOP", "Semester I 2026 (1 Januari 2026 – 30 Juni 2026)",
                  "Tanggal monitoring : 6 Juli 2026", "Ketapang, 6 Juli 2026", "Penilai,", officer.jabatan,
                  officer.name, f"NIP. {officer.nip}", "DATA CONTOH", "Tindakan yang harus diambil",
                  "Langkah 6: Menyediakan data", "Staf / Pengolah Data", "Kesimpulan SOP", "Lampiran"):
        assert shown in text, shown
    assert "Pemohon mengajukan" not in text  # the applicant's step 1 is not on the form


def test_a_period_without_any_completion_still_renders():
    empty = capaian_kinerja([], LIBRARY, FIRST, FIRST)
    assert render(empty, "png").startswith(PNG) and render_form(empty).startswith(PDF)


def test_semester_periods_are_named():
    assert period_label(FIRST, LAST) == "Semester I 2026 (1 Januari 2026 – 30 Juni 2026)"
    assert period_label(date(2026, 3, 1), date(2026, 3, 31)) == "1 Maret 2026 – 31 Maret 2026"


class RecordingStore:
    def __init__(self):
        self.asked: list[dict] = []

    def visits(self, **filters):
        self.asked.append(filters)
        return sample()


@pytest.fixture
def store():
    return RecordingStore()


@pytest.fixture
async def client(store):
    app = FastAPI()
    install_error_handling(app)  # as service_app does
    app.include_router(build_report_router(store, LIBRARY, FixedClock(MONITORED)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sla") as found:
        yield found


PERIOD = {"from": "2026-01-01", "to": "2026-06-30"}
MONITORED = datetime(2026, 7, 5, 17, 30, tzinfo=timezone.utc)  # 6 July, 00:30 in Ketapang


async def test_json_report_for_a_period(client, store):
    answer = await client.get("/reports/capaian-kinerja", params=PERIOD)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["period_from"], body["period_to"], body["on_time_target"]) == ("2026-01-01", "2026-06-30", 0.8)
    assert [m["dilaksanakan"] for m in body["monitoring"]] == ["Tidak", "Ya", "Tidak"]
    assert store.asked == [{"started_until": datetime(2026, 7, 1, tzinfo=ZONE)}]


async def test_the_json_carries_the_form_header_and_one_row_per_step(client):
    body = (await client.get("/reports/capaian-kinerja", params=PERIOD)).json()
    assert body["monitoring_date"] == "2026-07-06"
    assert set(body["kop"]) == {"government", "agency", "address", "contact", "city", "short_name"}
    officer = StaffDirectory.from_file().officers.sop_monitoring
    assert body["penilai"] == {"jabatan": officer.jabatan, "name": officer.name, "nip": officer.nip,
                               "rank": officer.rank, "example": True}
    sop_c = body["monitoring"][2]
    assert set(sop_c) == {"no", "sop_id", "prosedur", "dilaksanakan", "capaian_pct", "capaian", "catatan", "tindakan",
                          "langkah"}
    step = next(s for s in sop_c["langkah"] if s["step"] == 6)
    assert step == step | {"no": 5, "role": "staf_data", "pelaksana": agency().roles["staf_data"],
                           "mutu_baku_waktu": "1 hari", "count": 5, "on_time": 3, "overdue_at_end": 0,
                           "capaian_pct": 60.0, "capaian": "60 %", "penilaian": "Tidak"}
    assert set(step) == {"no", "step", "kegiatan", "role", "pelaksana", "mutu_baku_waktu", "count", "on_time",
                         "overdue_at_end", "capaian_pct", "capaian", "penilaian", "catatan", "tindakan"}
    assert all(r["role"] != "pemohon" and r["pelaksana"] for r in body["rows"])


async def test_target_changes_the_verdict(client):
    answer = await client.get("/reports/capaian-kinerja", params=PERIOD | {"target": "0.6"})
    assert [m["dilaksanakan"] for m in answer.json()["monitoring"]] == ["Tidak", "Ya", "Ya"]


@pytest.mark.parametrize("fmt, media, signature", [
    ("csv", "text/csv; charset=utf-8", "\ufeffSOP,Prosedur,Langkah".encode()),
    ("png", "image/png", PNG), ("pdf", "application/pdf", PDF)])
async def test_files_for_a_period(client, fmt, media, signature):
    answer = await client.get("/reports/capaian-kinerja", params=PERIOD | {"format": fmt})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == media
    assert answer.content.startswith(signature)
    name = f"capaian-kinerja_2026-01-01_2026-06-30.{fmt}"
    assert answer.headers["content-disposition"] == f'attachment; filename="{name}"'


async def test_the_monitoring_form_as_csv(client):
    answer = await client.get("/reports/capaian-kinerja", params=PERIOD | {"format": "csv", "table": "monitoring"})
    assert answer.text.startswith("\ufeffNo,Prosedur,Langkah,Kegiatan,Pelaksana,Mutu baku waktu,")


@pytest.mark.parametrize("params, error, field", [
    ({"from": "2026-06-30", "to": "2026-01-01"}, "invalid_period", None),
    ({"from": "2026-13-01", "to": "2026-06-30"}, "invalid", "query.from"),
    ({"from": "2026-01-01", "to": "9999-12-31"}, "invalid", "query.to"),  # a day after it would overflow
    ({"to": "2026-06-30"}, "invalid", "query.from"),
    (PERIOD | {"format": "xlsx"}, "invalid", "query.format"),
    (PERIOD | {"format": "csv", "table": "rekap"}, "invalid", "query.table"),
    (PERIOD | {"target": "1.5"}, "invalid", "query.target"),
    (PERIOD | {"target": "0"}, "invalid", "query.target"),
    (PERIOD | {"target": "nan"}, "invalid", "query.target"),
    (PERIOD | {"target": "delapan puluh"}, "invalid", "query.target"),
])
async def test_bad_requests_are_refused_with_a_json_reason(client, store, params, error, field):
    answer = await client.get("/reports/capaian-kinerja", params=params)
    body = answer.json()
    assert answer.status_code == 422
    assert body["error"] == error and body["reason"]
    assert set(body) == ({"error", "reason", "fields"} if field else {"error", "reason"})
    assert field is None or [f["field"] for f in body["fields"]] == [field]
    assert store.asked == []


def test_no_role_id_in_what_a_person_reads_of_the_report(report):
    """Role titles (shared/sop/agency.yaml), never ids such as petugas_tu; "kabid" is also a word of the
    SOP's own step texts, so the one-word ids are checked in the Pelaksana column."""
    import csv

    titles = set(agency().roles.values())
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_form(report))).pages)
    tables = {table: to_csv(report, table) for table in ("langkah", "monitoring")}
    for text in (pdf, *tables.values()):
        assert not [role for role in agency().roles if "_" in role and role in text]
    for table, text in tables.items():
        named = {row["Pelaksana"] for row in csv.DictReader(io.StringIO(text))} - {""}
        assert named and named <= titles, (table, named - titles)
