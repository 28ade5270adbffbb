"""Figures other services own, through the one portal API: documents, verification and SLA reads.

Each route types its parameters and checks the caller (per case, or the roles the read policy names)
before `Upstream` builds the request. Commands never take this path; they travel on Redis Streams.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from services.intake.as_of_reads import may_read, registered_by
from services.intake.commands import visible_case
from services.intake.wiring import IntakeService
from shared.http.documents_api import (
    DOCUMENTS_PER_PAGE, CaseDocumentsPage, NumberLookup, NumberQuery, RevisionInPath, RevisionInQuery, Sha256Query,
    UploadVerdict, Verified, kind_in_path,
)
from shared.http.params import CaseId
from shared.http.verify_page import verify_html, wants_html
from shared.letterhead import LetterheadSettings
from shared.http.errors import ApiError, responses
from shared.http.pages import After, Limit
from shared.http.params import PeriodQuery
from shared.http.as_of import AsOf
from shared.http.sla_api import CaseSla, OnTimeTarget, Report, ReportFormat, ReportTable
from shared.http.sla_as_of_api import CaseSlaAsOf
from shared.roles import Actor
PDF = {200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}
CSV_OR_PDF = {200: {"content": {m: {"schema": {"type": "string", "format": "binary"}}
                                for m in ("application/pdf", "text/csv")}}}
REPORT = {200: {"content": {m: {"schema": {"type": "string", "format": "binary"}}
                            for m in ("text/csv", "image/png", "application/pdf")}}}


def build_forwarded_router(svc: IntakeService) -> APIRouter:
    router = APIRouter()
    Caller = Annotated[Actor, Depends(svc.auth)]
    Kind = kind_in_path(svc.library)
    sla, documents, policy = svc.upstreams.sla, svc.upstreams.documents, svc.access.policy

    @router.get("/cases/{case_id}/sla", tags=["sla"], response_model=CaseSlaAsOf | CaseSla,
                responses=responses(401, 404, 422, 502, 503),
                summary="Each step's due time, working time used and timeliness (?as_of=: as they stood then)")
    async def case_sla(case_id: CaseId, actor: Caller, as_of: AsOf = None) -> Response:
        route = "GET /cases/{case_id}/sla"
        if as_of is not None:
            as_of = await may_read(svc, actor, str(case_id), route, as_of)
        else:
            await visible_case(svc, actor, case_id, route)
        return await sla.get(("cases", case_id, "sla"), {"as_of": as_of and as_of.isoformat()})

    @router.get("/reports/capaian-kinerja", tags=["sla"], response_model=Report,
                responses={**REPORT, **responses(401, 403, 422, 502)},
                summary="Capaian kinerja per SOP, step and role for a period")
    async def capaian_kinerja(actor: Caller, period: PeriodQuery, format: ReportFormat = "json",
                              target: OnTimeTarget = 0.8, table: ReportTable = "langkah") -> Response:
        await svc.access.role_in(actor, policy.reports, "GET /reports/capaian-kinerja")
        return await sla.get(("reports", "capaian-kinerja"), {"from": period.start, "to": period.end,
                                                             "format": format, "target": target, "table": table})

    @router.get("/cases/{case_id}/documents", tags=["documents"], response_model=CaseDocumentsPage,
                responses=responses(401, 404, 422, 502, 503),
                summary="A case's documents (every output of its steps), each with every revision issued "
                        "(?as_of=: the revisions issued by then)")
    async def case_documents(case_id: CaseId, actor: Caller, limit: Limit = DOCUMENTS_PER_PAGE,
                             after: After = None, as_of: AsOf = None) -> Response:
        route = "GET /cases/{case_id}/documents"
        if as_of is not None:
            as_of = await may_read(svc, actor, str(case_id), route, as_of)
        else:
            await visible_case(svc, actor, case_id, route)
        answer = await documents.get(("cases", case_id, "documents"),
                                     {"limit": limit, "after": after, "as_of": as_of and as_of.isoformat()})
        if as_of is not None and answer.status_code == 404 and b"not_yet_registered" in answer.body \
                and registered_by(svc, str(case_id), as_of):
            # Documents files a case a moment after intake registers it: at an instant in between the
            # case existed and had no document yet.
            return JSONResponse({"items": [], "next": None})
        return answer

    @router.get("/cases/{case_id}/documents/{kind}.pdf", tags=["documents"], response_class=Response,
                responses={**PDF, **responses(401, 404, 410, 422, 500, 502, 503)},
                summary="One document as PDF: the latest revision, or ?revision=n (rendered on first request)")
    async def document_pdf(case_id: CaseId, kind: Kind, actor: Caller,  # type: ignore[valid-type]
                           revision: RevisionInQuery = None) -> Response:
        await visible_case(svc, actor, case_id, "GET /cases/{case_id}/documents/{kind}.pdf")
        return await documents.get(("cases", case_id, "documents", f"{kind}.pdf"), {"revision": revision})

    @router.get("/register/book", tags=["documents"], response_class=Response,
                responses={**CSV_OR_PDF, **responses(401, 403, 422, 502)},
                summary="The buku register of a period as PDF or CSV")
    async def register_book(actor: Caller, period: PeriodQuery, format: Literal["pdf", "csv"] = "pdf") -> Response:
        await svc.access.role_in(actor, policy.register_book, "GET /register/book")
        return await documents.get(("register-book",), {"from": period.start, "to": period.end, "format": format})

    # Verification is public: whoever holds a paper scans its QR code or uploads the PDF.
    # The answers name the document, never the applicant.
    @router.get("/verify/{case_id}/{kind}/{revision}", tags=["verification"], response_model=Verified,
                responses=responses(404, 422, 502),
                summary="The document revision a QR code names: its number, date and SHA-256 as issued")
    async def verify_reference(case_id: CaseId, kind: Kind, revision: RevisionInPath,  # type: ignore[valid-type]
                               request: Request) -> Response:
        answer = await documents.get(("verify", case_id, kind, revision))
        if wants_html(request.headers.get("accept")):  # a phone that opened the QR code: the Indonesian page
            return HTMLResponse(verify_html(answer.body, answer.status_code, LetterheadSettings().short_name),
                                answer.status_code)
        return answer

    @router.get("/verify", tags=["verification"], response_model=Verified | NumberLookup,
                responses=responses(404, 422, 502),
                summary="Look a document up by ?sha256= or by ?number= (a register or letter number)")
    async def verify_lookup(sha256: Sha256Query = None, number: NumberQuery = None) -> Response:
        if (sha256 is None) == (number is None):
            raise ApiError(422, "give exactly one of ?sha256= or ?number=")
        return await documents.get(("verify",), {"sha256": sha256, "number": number})

    @router.post("/verify", tags=["verification"], response_model=UploadVerdict, responses=responses(413, 422, 502),
                 openapi_extra={"requestBody": {"required": True, "content": {
                     "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}},
                 summary="Send a PDF as the body: is it, byte for byte, a document this agency issued?")
    async def verify_upload(request: Request) -> Response:
        content = await request.body()
        if not content:
            raise ApiError(422, "send the PDF to check as the request body")
        return await documents.call("POST", ("verify",), content=content, content_type="application/pdf")

    return router
