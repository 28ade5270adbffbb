"""Uploads: a file a later step will carry (the data prepared, the signed reply). Checked by size and
by content, not only by the type its sender claims, then stored by hash."""
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request

from services.intake.answers import Upload
from services.intake.commands import visible_case
from services.intake.wiring import IntakeService
from shared.http.params import CaseId
from shared.http.errors import ApiError, responses
from shared.roles import Actor

# media type -> how its content starts (None: text, checked as UTF-8)
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "text/csv": None,
}


def check_content(content: bytes, media_type: str, limit: int) -> None:
    if not content:
        raise HTTPException(422, "the file is empty")
    if len(content) > limit:
        raise HTTPException(413, f"the file has {len(content)} bytes; at most {limit} are accepted")
    if media_type not in SIGNATURES:
        raise HTTPException(415, f"type {media_type!r} is not accepted; accepted: {', '.join(SIGNATURES)}")
    starts = SIGNATURES[media_type]
    if starts is None:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPException(415, f"the content is not {media_type} (not UTF-8 text)") from None
    elif not content.startswith(starts):
        raise HTTPException(415, f"the content is not {media_type}")


def build_uploads_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(tags=["cases"], responses=responses(401, 404, 409, 413, 415, 422, 503))
    Caller = Annotated[Actor, Depends(svc.auth)]
    body = {"required": True, "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in SIGNATURES}}

    @router.post("/cases/{case_id}/attachments", status_code=201, response_model=Upload,
                 summary="Upload a file for a later step: the raw bytes as the body, its type as Content-Type",
                 openapi_extra={"requestBody": body})
    async def upload(case_id: CaseId, request: Request, actor: Caller,
                     x_filename: Annotated[str, Header(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f/\\]+$")],
                     content_type: Annotated[str, Header(max_length=200)] = "") -> Any:
        await visible_case(svc, actor, case_id, "POST /cases/{case_id}/attachments")
        media_type = content_type.split(";")[0].strip().lower()
        content = await request.body()
        check_content(content, media_type, svc.settings.max_upload_bytes)
        try:
            return svc.files.put(str(case_id), content, x_filename, media_type)
        except LookupError as exc:
            raise ApiError(409, str(exc), code="erased") from None

    return router
