"""Documents' HTTP routes (internal; the gateway passes portals' and verifiers' requests on).

Handlers are async so they run on the event loop thread, beside the consumers, never in parallel
with a message being filed.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response

from services.documents import queries
from services.documents.application import Documents
from services.documents.register_rows import RegisterRows
from services.documents.rendering import LetterheadSettings, register_csv, render_register

SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


def build_router(app: Documents, register: RegisterRows) -> APIRouter:
    router = APIRouter(tags=["documents"])

    @router.get("/cases/{case_id}/documents", summary="A case's documents, each with every revision issued")
    async def case_documents(case_id: str) -> list[dict[str, Any]]:
        return queries.case_documents(app, case_id)

    @router.get("/cases/{case_id}/documents/{kind}.pdf", summary="One document as PDF (latest, or ?revision=n)")
    async def document_pdf(case_id: str, kind: str, revision: int | None = Query(None, ge=1)) -> Response:
        try:
            pdf, meta = queries.document_pdf(app, case_id, kind, revision)
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from None
        name = f"{kind}-{(meta['number'] or case_id).replace('/', '-')}-r{meta['revision']}.pdf"
        return Response(pdf, media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="{name}"', "X-Document-SHA256": meta["sha256"]})

    @router.get("/verify/{case_id}/{kind}/{revision}", summary="The revision a QR code names, as issued")
    async def verify_reference(case_id: str, kind: str, revision: int) -> dict[str, Any]:
        found = queries.verify_reference(app, case_id, kind, revision)
        if found is None:
            raise HTTPException(404, f"no {kind} revision {revision} was issued for case {case_id}")
        return {"genuine": True, "document": found}

    @router.get("/verify", summary="Look a document up by its SHA-256 or by a register or letter number")
    async def verify_lookup(sha256: str | None = None, number: str | None = None) -> dict[str, Any]:
        if bool(sha256) == bool(number):
            raise HTTPException(422, "give exactly one of ?sha256= or ?number=")
        if sha256:
            if not SHA256.match(sha256):
                raise HTTPException(422, "sha256 must be 64 hexadecimal characters")
            found = queries.verify_sha256(app, sha256)
            if found is None:
                raise HTTPException(404, "no document issued by this service has this SHA-256")
            return {"genuine": True, "document": found}
        documents = queries.verify_number(app, number or "")
        if not documents:
            raise HTTPException(404, f"no document carries the number {number!r}")
        return {"number": number, "documents": documents}

    @router.post("/verify", summary="Is this PDF (the request body) a genuine, unaltered document?")
    async def verify_upload(request: Request) -> dict[str, Any]:
        content = await request.body()
        if not content:
            raise HTTPException(422, "send the PDF to check as the request body")
        return queries.verify_bytes(app, content)

    @router.get("/register-book", summary="The buku register of a period as PDF or CSV")
    async def register_book(start: date = Query(alias="from"), end: date = Query(alias="to"),
                            format: Literal["pdf", "csv"] = "pdf") -> Response:
        if end < start:
            raise HTTPException(422, "the period ends before it starts")
        rows = register.period(start, end)
        name = f"buku-register-{start}-{end}"
        if format == "csv":
            return Response(register_csv(rows), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
        pdf = render_register(rows, start, end, LetterheadSettings())
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})

    return router
