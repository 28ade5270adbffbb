"""SLA figures through the one portal API: read-only queries passed on to the SLA service,
which owns them. Commands never take this path; they travel on Redis Streams."""
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, HTTPException, Request, Response

from services.intake.schemas import ErrorBody
from services.intake.wiring import IntakeService
from shared.roles import Actor


def build_sla_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(tags=["sla"], responses={s: {"model": ErrorBody} for s in (401, 404, 422, 502)})
    Caller = Annotated[Actor, Depends(svc.auth)]
    base = svc.settings.sla_url or f"http://{svc.settings.host}:{svc.settings.sla_port}"

    async def forward(path: str, request: Request) -> Response:
        try:
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                answer = await client.get(path, params=request.query_params)
        except httpx.HTTPError as exc:
            raise HTTPException(502, f"the SLA service did not answer: {type(exc).__name__}") from None
        return Response(answer.content, answer.status_code, media_type=answer.headers.get("content-type"),
                        headers={k: v for k, v in answer.headers.items() if k == "content-disposition"})

    @router.get("/cases/{case_id}/sla", summary="Each step's due time, working time used and timeliness")
    async def case_sla(case_id: str, request: Request, _: Caller) -> Response:
        return await forward(f"/cases/{case_id}/sla", request)

    @router.get("/reports/capaian-kinerja", summary="Capaian kinerja for a period: ?from=&to=&format=json|csv|png|pdf")
    async def capaian_kinerja(request: Request, _: Caller) -> Response:
        return await forward("/reports/capaian-kinerja", request)

    return router
