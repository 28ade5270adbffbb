"""Documents' HTTP routes (internal; the gateway passes portals' and verifiers' requests on).

Handlers are async so they run on the event loop thread, beside the consumers, never in parallel
with a message being filed; a PDF's first rendering runs in a worker process meanwhile
(on_request.py). Every parameter is typed and bounded (shared.http.params and
shared.http.documents_api) so a bad id, kind or revision is a 422 before a store is asked, and
every answer has its model there, for the gateway to declare too.

No `from __future__ import annotations` here: the `{kind}` type is built from the SOP library when
the router is, and FastAPI could not resolve a string annotation naming a local.
"""
from datetime import datetime, timezone
from typing import Any, Literal

from fastapi import APIRouter, Request, Response

from services.documents import queries
from services.documents.application import Documents
from services.documents.as_of import case_file_at
from services.documents.issuing import Erased, NotReproducible
from services.documents.on_request import Renderings
from services.documents.register_rows import RegisterRows
from services.documents.rendering import LetterheadSettings, register_csv, render_register
from shared.http.documents_api import (DOCUMENTS_PER_PAGE, CaseDocumentsPage, NumberLookup, NumberQuery,
                                       RevisionInPath, RevisionInQuery, Sha256Query, UploadVerdict, Verified,
                                       kind_in_path)
from shared.http.as_of import AsOf, check_as_of, not_yet
from shared.http.errors import ApiError, responses
from shared.http.pages import After, Limit, decode_cursor
from shared.http.params import CaseId, PeriodQuery

PDF = {"application/pdf": {}}
CSV = {"text/csv; charset=utf-8": {}}


def build_router(app: Documents, register: RegisterRows) -> APIRouter:
    router = APIRouter(tags=["documents"])
    Kind = kind_in_path(app.library)
    renderings = Renderings(app)

    @router.get("/cases/{case_id}/documents", response_model=CaseDocumentsPage, responses=responses(404, 422),
                summary="A case's documents in the SOP's order, each with every revision issued (paginated)")
    async def case_documents(case_id: CaseId, limit: Limit = DOCUMENTS_PER_PAGE, after: After = None,
                             as_of: AsOf = None) -> Any:
        cursor = decode_cursor(after, 2, (int, str))
        if as_of is not None:  # the revisions issued by then, from the case file folded up to then
            case_file = case_file_at(app, str(case_id), check_as_of(as_of, datetime.now(timezone.utc)))
            if case_file is None:
                raise not_yet(case_id, as_of, "documents of case")
            return queries.case_documents_page(app, str(case_id), limit, cursor, case_file)
        page = queries.case_documents_page(app, str(case_id), limit, cursor)
        if page is None:
            raise ApiError(404, f"no documents are known for case {case_id}", code="case_not_found")
        return page

    @router.get("/cases/{case_id}/documents/{kind}.pdf", response_class=Response,
                responses={200: {"content": PDF, "description": "The PDF; header X-Document-SHA256"}}
                | responses(404, 410, 422, 500), summary="One document as PDF (latest, or ?revision=n)")
    async def document_pdf(case_id: CaseId, kind: Kind, revision: RevisionInQuery = None) -> Response:
        try:
            pdf, meta = await renderings.pdf(str(case_id), kind, revision)
        except Erased as exc:  # before LookupError, which it is too: gone for good, not unknown
            raise ApiError(410, str(exc), code="document_erased") from None
        except LookupError as exc:
            raise ApiError(404, str(exc), code="document_not_found") from None
        except NotReproducible as exc:
            raise ApiError(500, str(exc), code="document_not_reproducible") from None
        name = f"{kind}-{(meta['number'] or str(case_id)).replace('/', '-')}-r{meta['revision']}.pdf"
        return Response(pdf, media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="{name}"', "X-Document-SHA256": meta["sha256"]})

    @router.get("/verify/{case_id}/{kind}/{revision}", response_model=Verified, responses=responses(404, 422),
                summary="The revision a QR code names, as issued")
    async def verify_reference(case_id: CaseId, kind: Kind, revision: RevisionInPath) -> Any:
        found = queries.verify_reference(app, str(case_id), kind, revision)
        if found is None:
            raise ApiError(404, f"no {kind} revision {revision} was issued for case {case_id}",
                           code="document_not_found")
        return {"genuine": True, "document": found, "signature": await queries.stored_signature(app, found)}

    @router.get("/verify", response_model=Verified | NumberLookup, responses=responses(404, 422),
                summary="Look a document up by its SHA-256 or by a register or letter number")
    async def verify_lookup(sha256: Sha256Query = None, number: NumberQuery = None) -> Any:
        if (sha256 is None) == (number is None):
            raise ApiError(422, "give exactly one of ?sha256= or ?number=")
        if sha256 is not None:
            found = queries.verify_sha256(app, sha256)
            if found is None:
                raise ApiError(404, "no document issued by this service has this SHA-256", code="document_not_found")
            return {"genuine": True, "document": found, "signature": await queries.stored_signature(app, found)}
        documents = queries.verify_number(app, number)
        if not documents:
            raise ApiError(404, f"no document carries the number {number!r}", code="document_not_found")
        return {"number": number, "documents": documents}

    @router.post("/verify", response_model=UploadVerdict, responses=responses(422),
                 summary="Is this PDF (the request body) a genuine, unaltered document?")
    async def verify_upload(request: Request) -> Any:
        content = await request.body()
        if not content:
            raise ApiError(422, "send the PDF to check as the request body")
        return await queries.verify_bytes(app, content)

    @router.get("/register-book", response_class=Response, responses={
        200: {"content": PDF | CSV, "description": "The book as PDF (A4) or CSV"}} | responses(422),
        summary="The buku register of a period as PDF or CSV")
    async def register_book(period: PeriodQuery, format: Literal["pdf", "csv"] = "pdf") -> Response:
        rows = app.issuer.revealer.reveal(register.period(period.start, period.end))
        name = f"buku-register-{period.start}-{period.end}"
        if format == "csv":
            return Response(register_csv(rows), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
        pdf = render_register(rows, period.start, period.end, LetterheadSettings())
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})

    return router
