"""What every refused request answers, on every service: a 4xx with exactly {error, reason} (plus
`fields` for a validation error), never a 500 and never FastAPI's own {"detail"}."""
from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx

# Path segments that must never reach a store as a case id: traversal (plain, encoded, with an
# encoded slash), NUL, a newline, a terminal escape, and two things that merely are not UUIDs.
GARBAGE_IDS = ["..", "%2E%2E", "%2e%2e%2f%2e%2e", "%00", "a%0Ab", "%1B[31m", "not-a-uuid", "1" * 40]
UNROUTED = ("..", "%2e%2e%2f%2e%2e")  # the client or the router resolves these to another path: 404


def refused(answer: httpx.Response, status: int | None = None, error: str | None = None) -> dict:
    body = answer.json()
    assert 400 <= answer.status_code < 500, answer.text
    assert status is None or answer.status_code == status, answer.text
    assert error is None or body["error"] == error, answer.text
    assert set(body) in ({"error", "reason"}, {"error", "reason", "fields"}) and body["reason"], answer.text
    return body


@contextlib.asynccontextmanager
async def asgi_client(app, host: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app in this process, without its lifespan: nothing touches Redis."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{host}") as client:
        yield client
