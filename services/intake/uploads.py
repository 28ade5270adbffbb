"""Uploads: a file a later step will carry (the data prepared, the signed reply). Checked by size and
by content, not only by the type its sender claims, then stored by hash."""
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request

from shared.http.errors import ErrorBody
from services.intake.wiring import IntakeService
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
    router = APIRouter(tags=["cases"], responses={s: {"model": ErrorBody} for s in (401, 404, 413, 415, 422)})
    Caller = Annotated[Actor, Depends(svc.auth)]

    @router.post("/cases/{case_id}/attachments", status_code=201,
                 summary="Upload a file for a later step: the raw bytes as the body, its type as Content-Type")
    async def upload(case_id: str, request: Request, _: Caller,
                     x_filename: Annotated[str, Header(min_length=1, max_length=200)],
                     content_type: Annotated[str, Header()] = "") -> dict[str, Any]:
        if svc.views.case(case_id) is None:
            raise HTTPException(404, f"no case {case_id}")
        media_type = content_type.split(";")[0].strip().lower()
        content = await request.body()
        check_content(content, media_type, svc.settings.max_upload_bytes)
        return svc.blobs.put(content, x_filename, media_type)

    return router
