"""GET /reports/capaian-kinerja: the capaian kinerja report as JSON, CSV, PNG or PDF, and its CSV rendering.

The SLA service includes `build_report_router(store, library)`; the gateway passes the route on.
CSV: UTF-8 with a byte-order mark (so spreadsheet programs read it as UTF-8), comma-separated, and
numbers with a decimal POINT, not the Indonesian decimal comma. `table=monitoring` gives the
Permenpan RB 35/2012 monitoring table instead of the per-step rows.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from services.sla.report import ZONE, capaian_kinerja
from services.sla.report_chart import render
from shared.http.errors import responses
from shared.http.params import PeriodQuery
from shared.http.sla_api import OnTimeTarget, Report, ReportFormat, ReportTable
from shared.sop.loader import SopLibrary

MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8", "png": "image/png", "pdf": "application/pdf"}
STEP_COLUMNS = ("SOP", "Prosedur", "Langkah", "Peran", "Standar", "Standar (jam kerja)", "Selesai", "Tepat waktu",
                "Tepat waktu (%)", "Median (jam kerja)", "P90 (jam kerja)", "Terbuka akhir periode",
                "Terlambat akhir periode")
MONITORING_COLUMNS = ("No", "Prosedur", "Dilaksanakan (Ya/Tidak)", "Catatan", "Tindakan")


def to_csv(report: Report, table: ReportTable = "langkah") -> str:
    """One row per step and a "Jumlah" row per SOP, or the monitoring table."""
    out = io.StringIO()
    write = csv.writer(out, lineterminator="\r\n").writerow
    if table == "monitoring":
        write(MONITORING_COLUMNS)
        for m in report.monitoring:
            write((m.no, m.prosedur, m.dilaksanakan, m.catatan, m.tindakan))
        return out.getvalue()
    write(STEP_COLUMNS)
    for t in report.totals:
        for r in (r for r in report.rows if r.sop_id == t.sop_id):
            write((r.sop_id, t.title, r.step, r.role, r.standard, *("" if x is None else x for x in (
                r.standard_hours, r.count, r.on_time, r.on_time_pct, r.median_hours, r.p90_hours, r.open_at_end,
                r.overdue_at_end))))
        write((t.sop_id, t.title, "Jumlah", "", "", "", t.count, t.on_time,
               "" if t.on_time_pct is None else t.on_time_pct, "", "", t.open_at_end, t.overdue_at_end))
    return out.getvalue()


def build_report_router(store: Any, library: SopLibrary) -> APIRouter:
    """`store` needs `visits(started_until=...)` (services.sla.projection.SlaStore)."""
    router = APIRouter(tags=["reports"])
    files = {media: {} for fmt, media in MEDIA.items() if fmt != "json"}

    @router.get("/reports/capaian-kinerja", summary="Capaian kinerja per SOP, step and role for a period",
                response_model=Report, responses={
                    200: {"content": files, "description": "The report: JSON, or a CSV, PNG or PDF file"}}
                | responses(422))
    async def capaian(period: PeriodQuery, format: ReportFormat = "json", target: OnTimeTarget = 0.8,
                      table: ReportTable = "langkah") -> Any:
        # On the event loop thread, beside the consumer, so the store's connection is never shared.
        end = datetime.combine(period.end + timedelta(days=1), time(), ZONE)
        report = capaian_kinerja(store.visits(started_until=end), library, period.start, period.end,
                                 on_time_target=target)
        if format == "json":
            return report
        suffix = "_monitoring" if format == "csv" and table == "monitoring" else ""
        name = f"capaian-kinerja_{period.start}_{period.end}{suffix}.{format}"
        body = ("\ufeff" + to_csv(report, table)).encode() if format == "csv" else await run_in_threadpool(
            render, report, format)
        return Response(body, media_type=MEDIA[format],
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return router
