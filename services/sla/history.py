"""What an `as_of` SLA read folds: routing's events of the case (asked of routing, whose log they are),
this service's own alerts of the case and the working calendar recorded by then (from its own store)."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

import httpx

from services.sla.application import Sla
from shared.working_calendar import WorkingCalendar
from services.sla.domain import CALENDAR_HISTORY_ID, alerts_id, calendar_from
from services.sla.messages import to_message
from shared.contracts import EventMessage
from shared.history import aggregate_at, published
from shared.http.as_of import parse_case_events
from shared.http.errors import ApiError


class CaseHistory:
    def __init__(self, sla: Sla, routing_url: str, timeout_s: float = 10):
        self.sla, self.routing_url, self.timeout_s = sla, routing_url.rstrip("/"), timeout_s
        self.client: httpx.AsyncClient | None = None  # one pooled client, opened on first use
        self.calendars: dict[str, WorkingCalendar] = {}  # by digest: a calendar's caches stay warm across reads

    async def events(self, case_id: str, as_of: datetime) -> list[EventMessage]:
        own = [m for _, m in published(self.sla, alerts_id(case_id), to_message) if m.recorded_at <= as_of]
        return await self.routing_events(case_id, as_of) + own

    async def routing_events(self, case_id: str, as_of: datetime) -> list[EventMessage]:
        if self.client is None:
            self.client = httpx.AsyncClient(base_url=self.routing_url, timeout=self.timeout_s)
        try:
            answer = await self.client.get(f"/cases/{UUID(case_id)}/events", params={"as_of": as_of.isoformat()})
        except httpx.HTTPError as exc:
            raise ApiError(502, f"routing did not answer for the case's events: {type(exc).__name__}") from None
        if answer.status_code != 200:
            raise ApiError(502, f"routing answered {answer.status_code} for the case's events")
        return parse_case_events(answer.content)

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()

    def calendar_at(self, as_of: datetime, current: WorkingCalendar) -> WorkingCalendar:
        """The calendar recorded last by `as_of`; the one in use when none was recorded by then."""
        history = aggregate_at(self.sla, CALENDAR_HISTORY_ID, as_of)
        if history is None or not history.content or history.digest == current.digest():
            return current
        if history.digest not in self.calendars:
            self.calendars[history.digest] = calendar_from(history.content)
        return self.calendars[history.digest]
