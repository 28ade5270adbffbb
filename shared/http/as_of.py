"""`?as_of=`: read a case as it stood at an instant, typed and bounded the same way in every service.

An aware ISO-8601 instant (`2026-03-02T10:15:00+07:00`, `...Z`), no later than now, meaning the time
events were *recorded* in the log (shared/history.py). Normalised to UTC here, so nothing downstream
meets an instant it cannot convert. Also the internal route each service offers the gateway: its own
events of one case up to an instant, as it publishes them.

No `from __future__ import annotations`: FastAPI reads these annotations at runtime.
"""
import json
import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, Field

from shared.contracts import EventMessage
from shared.events import Event, parse_event
from shared.http.errors import ApiError, responses
from shared.http.params import CaseId

ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|z|[+-]\d{2}(:?\d{2})?)")


def _iso_only(value: Any) -> Any:
    if isinstance(value, str) and not ISO_INSTANT.fullmatch(value):
        raise ValueError("give an ISO-8601 instant with its UTC offset, e.g. 2026-03-02T10:15:00+07:00")
    return value


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError("the instant lies outside the years this service can count in") from None


AsOfInstant = Annotated[AwareDatetime, BeforeValidator(_iso_only), AfterValidator(_in_utc)]
AsOf = Annotated[AsOfInstant | None, Query(description=(
    "Answer as the case stood at this instant (ISO-8601 with its UTC offset, not in the future): "
    "what the log had recorded by then. 422 `as_of_in_future`; 404 `not_yet_registered` before the case existed"))]


def check_as_of(as_of: datetime, now: datetime) -> datetime:
    if as_of > now:
        raise ApiError(422, f"as_of {as_of.isoformat()} lies in the future: the log answers only for the past",
                       code="as_of_in_future")
    return as_of


def not_yet(case_id: Any, as_of: datetime, what: str = "case") -> ApiError:
    return ApiError(404, f"no {what} {case_id} was recorded by {as_of.isoformat()}: it did not exist yet",
                    code="not_yet_registered")


class CaseEvents(BaseModel):
    """One service's own published events of a case, recorded by `as_of`, in its log's order."""

    case_id: str
    as_of: datetime
    items: list[Event]  # type: ignore[valid-type] = Field(description="As the service publishes them on its stream")


def case_events_router(service: str, read: Callable[[str], list[EventMessage]], now: Callable[[], datetime]) -> APIRouter:
    """GET /cases/{id}/events?as_of= (internal, for the gateway): `read(case_id)` answers the service's
    published events of the case from its own store, in order; this keeps those recorded by `as_of`."""
    router = APIRouter(tags=["history"])

    @router.get("/cases/{case_id}/events", response_model=CaseEvents, responses=responses(422),
                summary=f"The {service} service's own events of a case recorded by ?as_of= (default: now)")
    async def case_events(case_id: CaseId, as_of: AsOf = None) -> Any:
        at = check_as_of(as_of, now()) if as_of else now()
        items = [m for m in read(str(case_id)) if m.recorded_at <= at]
        return {"case_id": str(case_id), "as_of": at, "items": items}

    return router


def parse_case_events(body: bytes) -> list[EventMessage]:
    """The `items` of a CaseEvents answer, each as its typed event."""
    return [parse_event(json.dumps(item)) for item in json.loads(body)["items"]]
