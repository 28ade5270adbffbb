"""The capaian kinerja chart (PNG, A4-landscape PDF, same bytes every time) and its HTTP route."""
from __future__ import annotations

from datetime import date, datetime

import httpx
import pytest
from fastapi import FastAPI

from services.sla.report import ZONE, capaian_kinerja
from services.sla.report_chart import period_label, render
from services.sla.report_routes import build_report_router
from shared.http.errors import install_error_handling
from tests.unit.test_sla_report import FIRST, LAST, LIBRARY, sample

PNG, PDF = b"\x89PNG\r\n\x1a\n", b"%PDF-"


@pytest.fixture(scope="module")
def report():
    return capaian_kinerja(sample(), LIBRARY, FIRST, LAST)


@pytest.mark.parametrize("fmt, signature", [("png", PNG), ("pdf", PDF)])
def test_the_chart_is_produced_and_identical_when_rendered_twice(report, fmt, signature):
    first = render(report, fmt)
    assert first.startswith(signature)
    assert render(report, fmt) == first


def test_the_pdf_is_one_a4_landscape_page_without_a_creation_date(report):
    pdf = render(report, "pdf")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1
    assert b"/MediaBox [ 0 0 841.68 595.44 ]" in pdf  # 11.69 x 8.27 inches in points
    assert b"CreationDate" not in pdf


def test_a_period_without_any_completion_still_renders():
    assert render(capaian_kinerja([], LIBRARY, FIRST, FIRST), "png").startswith(PNG)


def test_semester_periods_are_named():
    assert period_label(capaian_kinerja([], LIBRARY, FIRST, LAST)) == \
        "Semester I 2026 (1 Januari 2026 – 30 Juni 2026)"
    assert period_label(capaian_kinerja([], LIBRARY, date(2026, 3, 1), date(2026, 3, 31))) == \
        "1 Maret 2026 – 31 Maret 2026"


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
    app.include_router(build_report_router(store, LIBRARY))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sla") as found:
        yield found


PERIOD = {"from": "2026-01-01", "to": "2026-06-30"}


async def test_json_report_for_a_period(client, store):
    answer = await client.get("/reports/capaian-kinerja", params=PERIOD)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["period_from"], body["period_to"], body["on_time_target"]) == ("2026-01-01", "2026-06-30", 0.8)
    assert [m["dilaksanakan"] for m in body["monitoring"]] == ["Tidak", "Ya", "Tidak"]
    assert store.asked == [{"started_until": datetime(2026, 7, 1, tzinfo=ZONE)}]


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


async def test_the_monitoring_table_as_csv(client):
    answer = await client.get("/reports/capaian-kinerja", params=PERIOD | {"format": "csv", "table": "monitoring"})
    assert answer.text.startswith("\ufeffNo,Prosedur,Dilaksanakan (Ya/Tidak),Catatan,Tindakan\r\n")


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
