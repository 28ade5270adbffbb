"""GET /reports/capaian-kinerja: the capaian kinerja report as JSON, CSV, PNG or PDF.

The SLA service includes `build_report_router(...)`; the gateway passes the route on. CSV: see
services/sla/report_csv.py; `table=monitoring` gives the monitoring form instead of the per-step rows.
PNG: the chart; PDF: the Formulir Monitoring Pelaksanaan SOP under the kop, signed by the penilai, with
the chart as its last page. The monitoring date is today in the agency's zone, from the injected clock.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from services.sla.report import ZONE, capaian_kinerja
from services.sla.report_chart import render
from services.sla.report_csv import to_csv
from services.sla.report_form import render_form
from shared.clock import Clock, SystemClock
from shared.http.errors import responses
from shared.http.params import PeriodQuery
from shared.http.sla_api import Kop, OnTimeTarget, Report, ReportFormat, ReportTable, Signatory
from shared.letterhead import LetterheadSettings
from shared.sop.loader import SopLibrary
from shared.staff import StaffDirectory

MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8", "png": "image/png", "pdf": "application/pdf"}


def kop_of(letterhead: LetterheadSettings) -> Kop:
    return Kop(**letterhead.model_dump(include=set(Kop.model_fields)))


def penilai_of(staff: StaffDirectory) -> Signatory:
    return Signatory(**staff.officers.sop_monitoring.model_dump(), example=staff.example)


def build_report_router(store: Any, library: SopLibrary, clock: Clock | None = None,
                        staff: StaffDirectory | None = None, letterhead: LetterheadSettings | None = None) -> APIRouter:
    """`store` needs `visits(started_until=...)` (services.sla.projection.SlaStore). The staff file and the
    letterhead are read here, once, so a broken staff file stops the service at start, naming the problem."""
    router = APIRouter(tags=["reports"])
    files = {media: {} for fmt, media in MEDIA.items() if fmt != "json"}
    clock = clock or SystemClock()
    kop, penilai = kop_of(letterhead or LetterheadSettings()), penilai_of(staff or StaffDirectory.from_file())

    @router.get("/reports/capaian-kinerja", summary="Capaian kinerja per SOP, step and role for a period",
                response_model=Report, responses={
                    200: {"content": files, "description": "The report: JSON, or a CSV, PNG or PDF file"}}
                | responses(422))
    async def capaian(period: PeriodQuery, format: ReportFormat = "json", target: OnTimeTarget = 0.8,
                      table: ReportTable = "langkah") -> Any:
        # On the event loop thread, beside the consumer, so the store's connection is never shared.
        end = datetime.combine(period.end + timedelta(days=1), time(), ZONE)
        report = capaian_kinerja(store.visits(started_until=end), library, period.start, period.end,
                                 monitoring_date=clock.now().astimezone(ZONE).date(), kop=kop, penilai=penilai,
                                 on_time_target=target)
        if format == "json":
            return report
        suffix = "_monitoring" if format == "csv" and table == "monitoring" else ""
        name = f"capaian-kinerja_{period.start}_{period.end}{suffix}.{format}"
        if format == "csv":
            body = ("\ufeff" + to_csv(report, table)).encode()
        else:
            body = await run_in_threadpool(render if format == "png" else render_form, report)
        return Response(body, media_type=MEDIA[format],
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return router
