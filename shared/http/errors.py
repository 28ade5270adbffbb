"""One error shape for every route of every service: `{"error": code, "reason": text}`, plus `fields`
for a request that failed validation. FastAPI's own `{"detail": ...}` never reaches a client."""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.routing import Match

log = logging.getLogger(__name__)

CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type",
         422: "invalid", 429: "too_many_requests", 502: "upstream_unavailable", 503: "unavailable",
         504: "timeout"}


class FieldProblem(BaseModel):
    field: str = Field(description="Where the problem is, e.g. body.applicant.name or query.limit")
    problem: str


class ErrorBody(BaseModel):
    error: str = Field(description="A stable code, e.g. not_found, invalid, idempotency_key_reused")
    reason: str = Field(description="What went wrong, for a person")
    fields: list[FieldProblem] | None = Field(None, description="Validation errors: one entry per field")


class ApiError(HTTPException):
    """An HTTP error with its own code (`idempotency_key_reused`), not only the status's."""

    def __init__(self, status: int, reason: str, code: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(status, reason, headers)
        self.code = code or CODES.get(status, "error")


def error_response(status: int, code: str, reason: str, headers: dict[str, str] | None = None,
                   fields: list[dict[str, str]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": code, "reason": reason}
    if fields is not None:
        body["fields"] = fields
    return JSONResponse(body, status, headers=headers)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: every error status it documents, each with the one error body."""
    return {s: {"model": ErrorBody} for s in statuses}


def allowed_methods(request: Request) -> list[str]:
    """Each method some route serves at this path (asked of the router, whatever its routes' kind)."""
    return [m for m in ("DELETE", "GET", "PATCH", "POST", "PUT") if any(
        route.matches({**request.scope, "method": m})[0] is Match.FULL for route in request.app.router.routes)]


def install_error_handling(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = getattr(exc, "code", None) or CODES.get(exc.status_code, "error")
        headers = exc.headers
        if exc.status_code == 405:  # Starlette names only the first route's methods; a path may have more
            headers = {"Allow": ", ".join(allowed_methods(request))}
        return error_response(exc.status_code, code, str(exc.detail), headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [{"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()]
        reason = "; ".join(f"{f['field']}: {f['problem']}" for f in fields[:5])
        return error_response(422, "invalid", reason or "invalid request", fields=fields)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_response(500, "internal_error", type(exc).__name__)
