"""The audit export for inspectors over the API, operator only: every stored event of every service in a
period, with actor, role, decision, times and chain links (shared/chain/export.py), as JSONL, CSV or PDF.

Intake reads the other services' stores here, read-only and through shared code, as `sop audit export`
does: the export is of the stored log itself, not of any service's answer about it."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from starlette.concurrency import run_in_threadpool

from services.intake.wiring import IntakeService
from shared.agency import agency
from shared.chain.export import export, period_instants
from shared.chain.export_formats import MEDIA, to_csv, to_jsonl, to_pdf
from shared.http.errors import responses
from shared.http.params import Period, PeriodQuery
from shared.roles import Actor

ExportFormat = Annotated[Literal["jsonl", "csv", "pdf"], Query(description="jsonl (with the stored bytes), csv or pdf")]
FILES = {200: {"content": {m: {"schema": {"type": "string", "format": "binary"}} for m in MEDIA.values()}}}


def build_audit_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(tags=["operations"])

    async def operator(actor: Annotated[Actor, Depends(svc.auth)]) -> Actor:
        await svc.access.role_in(actor, ("operator",), "GET /audit/export")
        return actor

    @router.get("/audit/export", response_class=Response, responses={**FILES, **responses(401, 403, 422)},
                summary="Every stored event of a period, with actor, role, decision, times and hash-chain links")
    async def audit_export(_: Annotated[Actor, Depends(operator)], period: PeriodQuery,
                           format: ExportFormat = "jsonl") -> Response:
        content = await run_in_threadpool(write_export, svc, period, format)
        name = f"audit_{period.start}_{period.end}.{format}"
        return Response(content, media_type=MEDIA[format], headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return router


def write_export(svc: IntakeService, period: Period, fmt: str) -> bytes:
    zone = agency().tz
    rows = export(svc.settings, *period_instants(period.start, period.end, zone), with_state=fmt == "jsonl")
    if fmt == "jsonl":
        return to_jsonl(rows)
    if fmt == "csv":
        return to_csv(rows)
    return to_pdf(rows, f"Ekspor audit {period.start} s.d. {period.end}", zone)
