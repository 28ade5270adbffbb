"""GET /reports/capaian-kinerja: the capaian kinerja report as JSON, CSV, PNG or PDF, and its CSV rendering.

The SLA service includes `build_report_router(store, library)`; the gateway passes the route on.
CSV: UTF-8 with a byte-order mark (so spreadsheet programs read it as UTF-8), comma-separated, and
numbers with a decimal POINT, not the Indonesian decimal comma. `table=monitoring` gives the
Permenpan RB 35/2012 monitoring table instead of the per-step rows.
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from services.sla.report import ZONE, Report, capaian_kinerja
from services.sla.report_chart import render
from shared.sop.loader import SopLibrary

MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8", "png": "image/png", "pdf": "application/pdf"}
STEP_COLUMNS = ("SOP", "Prosedur", "Langkah", "Peran", "Standar", "Standar (jam kerja)", "Selesai", "Tepat waktu",
                "Tepat waktu (%)", "Median (jam kerja)", "P90 (jam kerja)", "Terbuka akhir periode",
                "Terlambat akhir periode")
MONITORING_COLUMNS = ("No", "Prosedur", "Dilaksanakan (Ya/Tidak)", "Catatan", "Tindakan")


def to_csv(report: Report, table: Literal["langkah", "monitoring"] = "langkah") -> str:
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


def problem(code: str, reason: str) -> JSONResponse:
    return JSONResponse({"error": code, "reason": reason}, 422)


def parse_period(start: str | None, end: str | None) -> tuple[date, date] | str:
    """The period, or the reason it is not one."""
    if not start or not end:
        return "give the period as ?from=YYYY-MM-DD&to=YYYY-MM-DD (both days included, Asia/Pontianak)"
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return f"from={start!r} and to={end!r} must be dates written YYYY-MM-DD"
    if last < first:
        return f"the period ends ({last}) before it starts ({first})"
    return first, last


def build_report_router(store: Any, library: SopLibrary) -> APIRouter:
    """`store` needs `visits(started_until=...)` (services.sla.projection.SlaStore)."""
    router = APIRouter(tags=["reports"])
    content = {media: {} for media in MEDIA.values()}

    @router.get("/reports/capaian-kinerja", summary="Capaian kinerja per SOP, step and role for a period",
                responses={200: {"content": content, "model": Report},
                           422: {"description": "Bad period, format, target or table: {error, reason}"}})
    async def capaian(start: str | None = Query(None, alias="from", description="first day, YYYY-MM-DD"),
                      to: str | None = Query(None, description="last day, YYYY-MM-DD (included)"),
                      format: str = Query("json", description="json, csv, png or pdf (A4 landscape)"),
                      target: str = Query("0.8", description="on-time share an SOP must reach to run well"),
                      table: str = Query("langkah", description="csv only: langkah (per step) or monitoring"),
                      ) -> Response:
        period = parse_period(start, to)
        if isinstance(period, str):
            return problem("invalid_period", period)
        if format not in MEDIA:
            return problem("unknown_format", f"format={format!r}; known: {', '.join(MEDIA)}")
        if table not in ("langkah", "monitoring"):
            return problem("unknown_table", f"table={table!r}; known: langkah, monitoring")
        try:
            on_time_target = float(target)
        except ValueError:
            on_time_target = -1.0
        if not 0 < on_time_target <= 1:
            return problem("invalid_target", f"target={target!r} must be a share of 1, e.g. 0.8")
        # On the event loop thread, beside the consumer, so the store's connection is never shared.
        end = datetime.combine(period[1] + timedelta(days=1), time(), ZONE)
        report = capaian_kinerja(store.visits(started_until=end), library, *period, on_time_target=on_time_target)
        if format == "json":
            return JSONResponse(report.model_dump(mode="json"))
        suffix = "_monitoring" if format == "csv" and table == "monitoring" else ""
        name = f"capaian-kinerja_{period[0]}_{period[1]}{suffix}.{format}"
        body = ("\ufeff" + to_csv(report, table)).encode() if format == "csv" else await run_in_threadpool(
            render, report, format)
        return Response(body, media_type=MEDIA[format],
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return router
