"""The change feed: `GET /events?after=` answers the events of the cases the caller may read, in the order
intake applied them, and waits (`wait=`) for the next one instead of the portal polling `GET /cases/{id}`."""

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from services.intake.answers import FeedEvent
from services.intake.rows import feed_event
from services.intake.views.feed import feed_page
from services.intake.wiring import IntakeService
from shared.events import BY_TYPE
from shared.http.errors import responses
from shared.roles import Actor

EventType = Literal[tuple(sorted(BY_TYPE))]  # type: ignore[valid-type]
FeedAfter = Annotated[int, Query(ge=0, le=2**53, description="The `next` of the previous answer; 0: from the start")]
FeedLimit = Annotated[int, Query(ge=1, le=500, description="events per answer, at most 500")]
Types = Annotated[list[EventType] | None, Query(alias="type", max_length=len(BY_TYPE), description="only these event types")]


class FeedPage(BaseModel):
    items: list[FeedEvent]
    next: int = Field(description="Where to resume (?after=): after the last event given, or the feed's end "
                                  "as far as this answer looked; never lower than the after= sent")


def build_events_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(tags=["events"])
    Caller = Annotated[Actor, Depends(svc.auth)]
    longest = svc.portal.feed_max_wait_s
    Wait = Annotated[float, Query(ge=0, le=longest, description=(
        f"Long poll: when nothing lies after the cursor, wait up to this many seconds (at most {longest:g}, "
        "SOP_FEED_MAX_WAIT_S) for the next event; 0 answers at once"))]

    @router.get("/events", summary="The change feed: every event of the cases the caller may read, in order",
                response_model=FeedPage, responses=responses(401, 403, 422))
    async def events(actor: Caller, after: FeedAfter = 0, limit: FeedLimit = 100, wait: Wait = 0,
                     types: Types = None) -> Any:
        rows = await svc.access.lists(actor, "GET /events")
        deadline = time.monotonic() + wait
        while True:
            found, resume = feed_page(svc.views.db, rows, after, limit, tuple(types) if types else None)
            left = deadline - time.monotonic()
            if found or left <= 0:
                break
            await svc.pulse.wait(left)  # the views follower beats after every batch it applies
        body = FeedPage(items=[feed_event(r) for r in found], next=resume)
        return JSONResponse(body.model_dump(mode="json"), headers={"Cache-Control": "no-store"})

    return router
