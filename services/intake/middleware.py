"""The gateway's two checks before any route: a valid key, and a body within bounds.

Plain ASGI rather than `@app.middleware("http")`: Starlette's BaseHTTPMiddleware runs every request
through an anyio task group and memory streams, and the two of them cost a third of the gateway's CPU
per step command (make bench-profile).
"""
from __future__ import annotations

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.intake.auth import Authenticator
from shared.http.errors import error_response

PUBLIC = ("/health", "/metrics", "/openapi.json", "/docs", "/redoc", "/verify", "/track")


def header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return ""


class AuthenticateFirst:
    """A request without a valid key is refused before its body is read: an anonymous caller learns
    nothing of what the API would accept. The actor found is kept for the routes' dependency."""

    def __init__(self, app: ASGIApp, auth: Authenticator):
        self.app, self.auth = app, auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and not any(path == p or path.startswith(p + "/") for p in PUBLIC):
            known = scope.get("state", {}).get("actor")  # found already by the rate limits
            scheme, _, key = header(scope, b"authorization").partition(" ")
            try:
                actor = known or self.auth.actor(key.strip() if scheme.lower() == "bearer" else None)
            except StarletteHTTPException as exc:
                refused = error_response(401, "unauthenticated", str(exc.detail), {"WWW-Authenticate": "Bearer"})
                return await refused(scope, receive, send)
            scope.setdefault("state", {})["actor"] = actor
        await self.app(scope, receive, send)


class LimitBodies:
    """413 for a body over its limit, whether it says its length or streams in chunks."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_upload_bytes: int):
        self.app, self.max_body, self.max_upload = app, max_body_bytes, max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        limit = self.max_upload if path.endswith("/attachments") or path == "/verify" else self.max_body
        too_large = error_response(413, "payload_too_large", f"body over {limit} bytes")
        length = header(scope, b"content-length")
        if length and (not length.isdigit() or int(length) > limit):
            return await too_large(scope, receive, send)
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        chunks, size, message = [], 0, {"more_body": True}
        while message.get("more_body"):
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
                return await too_large(scope, receive, send)
        await self.app(scope, replay(b"".join(chunks), receive), send)


def replay(body: bytes, receive: Receive) -> Receive:
    """The body read already, handed to the app as if it came now; then the connection's own events."""
    given = False

    async def again() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}
    return again
