"""Figures other services own, through the one portal API: read-only queries passed on to the SLA and
documents services. Commands never take this path; they travel on Redis Streams."""
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, HTTPException, Request, Response

from services.intake.schemas import ErrorBody
from services.intake.wiring import IntakeService
from shared.roles import Actor


def forwarder(base: str, service: str):
    async def forward(path: str, request: Request) -> Response:
        try:
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                answer = await client.get(path, params=request.query_params)
        except httpx.HTTPError as exc:
            raise HTTPException(502, f"the {service} service did not answer: {type(exc).__name__}") from None
        return Response(answer.content, answer.status_code, media_type=answer.headers.get("content-type"),
                        headers={k: v for k, v in answer.headers.items() if k == "content-disposition"})
    return forward


def build_read_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(responses={s: {"model": ErrorBody} for s in (401, 404, 422, 502)})
    Caller = Annotated[Actor, Depends(svc.auth)]
    settings = svc.settings
    sla = forwarder(settings.sla_url or f"http://{settings.host}:{settings.sla_port}", "SLA")
    documents = forwarder(settings.documents_url or f"http://{settings.host}:{settings.documents_port}", "documents")

    @router.get("/cases/{case_id}/sla", tags=["sla"], summary="Each step's due time, working time used and timeliness")
    async def case_sla(case_id: str, request: Request, _: Caller) -> Response:
        return await sla(f"/cases/{case_id}/sla", request)

    @router.get("/reports/capaian-kinerja", tags=["sla"],
                summary="Capaian kinerja for a period: ?from=&to=&format=json|csv|png|pdf")
    async def capaian_kinerja(request: Request, _: Caller) -> Response:
        return await sla("/reports/capaian-kinerja", request)

    @router.get("/cases/{case_id}/documents", tags=["documents"],
                summary="The output records of a case's steps (letter number on the signed reply)")
    async def case_documents(case_id: str, request: Request, _: Caller) -> Response:
        return await documents(f"/cases/{case_id}/outputs", request)

    return router
