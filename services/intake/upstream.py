"""The SLA, documents and routing services behind the one portal API: read-only queries, passed on
(routing's only for a case's events, which `as_of` reads fold).

Nothing reaches them unchecked: routes type every path and query parameter first (a case id is a
UUID, a kind one the SOP data names, a revision a positive int), the path is built here from those
values, each segment quoted, and only the declared query parameters travel. One pooled client per
service, opened with the process and closed with it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
from fastapi import Response

from shared.contracts import EventMessage
from shared.http.as_of import parse_case_events
from shared.http.errors import ApiError

PASSED_HEADERS = ("content-disposition", "x-document-sha256")


class Upstream:
    def __init__(self, base_url: str, service: str, timeout_s: float = 30):
        self.base_url, self.service, self.timeout_s = base_url, service, timeout_s
        self.client: httpx.AsyncClient | None = None

    async def open(self) -> None:
        self.client = httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout_s,
                                        limits=httpx.Limits(max_connections=50, max_keepalive_connections=20))

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()

    async def get(self, segments: tuple[Any, ...], params: dict[str, Any] | None = None) -> Response:
        return await self.call("GET", segments, params)

    async def call(self, method: str, segments: tuple[Any, ...], params: dict[str, Any] | None = None,
                   content: bytes | None = None, content_type: str | None = None) -> Response:
        path = "/" + "/".join(quote(str(s), safe="") for s in segments)
        query = {k: str(v) for k, v in (params or {}).items() if v is not None}
        headers = {"content-type": content_type} if content_type else None
        if self.client is None:
            raise ApiError(503, f"the {self.service} service client is not open yet")
        try:
            answer = await self.client.request(method, path, params=query, content=content, headers=headers)
        except httpx.HTTPError as exc:
            raise ApiError(502, f"the {self.service} service did not answer: {type(exc).__name__}") from None
        return Response(answer.content, answer.status_code, media_type=answer.headers.get("content-type"),
                        headers={k: v for k, v in answer.headers.items() if k in PASSED_HEADERS})

    async def case_events(self, case_id: Any, as_of: datetime) -> list[EventMessage]:
        """The service's own events of the case recorded by `as_of` (its internal /cases/{id}/events)."""
        answer = await self.get(("cases", case_id, "events"), {"as_of": as_of.isoformat()})
        if answer.status_code != 200:
            raise ApiError(502, f"the {self.service} service answered {answer.status_code} for the case's events")
        return parse_case_events(answer.body)


class Upstreams:
    def __init__(self, sla: Upstream, documents: Upstream, routing: Upstream):
        self.sla, self.documents, self.routing = sla, documents, routing

    async def open(self) -> None:
        for upstream in (self.sla, self.documents, self.routing):
            await upstream.open()

    async def close(self) -> None:
        for upstream in (self.sla, self.documents, self.routing):
            await upstream.close()
