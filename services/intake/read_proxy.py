"""Figures other services own, through the one portal API: read-only queries passed on to the SLA and
documents services. Commands never take this path; they travel on Redis Streams."""
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, HTTPException, Request, Response

from shared.http.errors import ErrorBody
from services.intake.wiring import IntakeService
from shared.roles import Actor


def forwarder(base: str, service: str):
    async def forward(path: str, request: Request) -> Response:
        try:
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                answer = await client.request(request.method, path, params=request.query_params,
                                              content=await request.body() if request.method == "POST" else None)
        except httpx.HTTPError as exc:
            raise HTTPException(502, f"the {service} service did not answer: {type(exc).__name__}") from None
        return Response(answer.content, answer.status_code, media_type=answer.headers.get("content-type"),
                        headers={k: v for k, v in answer.headers.items()
                                 if k in ("content-disposition", "x-document-sha256")})
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
                summary="A case's documents (every output of its steps), each with every revision issued")
    async def case_documents(case_id: str, request: Request, _: Caller) -> Response:
        return await documents(f"/cases/{case_id}/documents", request)

    @router.get("/cases/{case_id}/documents/{kind}.pdf", tags=["documents"], response_class=Response,
                summary="One document as PDF: the latest revision, or ?revision=n")
    async def document_pdf(case_id: str, kind: str, request: Request, _: Caller) -> Response:
        return await documents(f"/cases/{case_id}/documents/{kind}.pdf", request)

    @router.get("/register/book", tags=["documents"], response_class=Response,
                summary="The buku register of a period: ?from=YYYY-MM-DD&to=YYYY-MM-DD&format=pdf|csv")
    async def register_book(request: Request, _: Caller) -> Response:
        return await documents("/register-book", request)

    # Verification is public: whoever holds a paper scans its QR code or uploads the PDF.
    # The answers name the document, never the applicant.
    @router.get("/verify/{case_id}/{kind}/{revision}", tags=["verification"],
                summary="The document revision a QR code names: its number, date and SHA-256 as issued")
    async def verify_reference(case_id: str, kind: str, revision: int, request: Request) -> Response:
        return await documents(f"/verify/{case_id}/{kind}/{revision}", request)

    @router.get("/verify", tags=["verification"], summary="Look a document up by ?sha256= or by ?number=")
    async def verify_lookup(request: Request) -> Response:
        return await documents("/verify", request)

    @router.post("/verify", tags=["verification"],
                 summary="Send a PDF as the body: is it, byte for byte, a document this agency issued?")
    async def verify_upload(request: Request) -> Response:
        return await documents("/verify", request)

    return router
