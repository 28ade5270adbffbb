"""GET /cases/{case_id}/sla: a case's clocks (SOP total, statutory deadline) and each step visit;
with ?as_of=, as they stood at that instant (services/sla/as_of.py).

Async: runs on the event loop thread, beside the consumer and the timer, so the store's
connection is never shared between threads.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.sla.as_of import case_sla_as_of
from services.sla.history import CaseHistory
from shared.clock import Clock
from shared.http.as_of import AsOf, check_as_of, not_yet
from shared.http.errors import ApiError, responses
from shared.http.params import CaseId
from shared.http.sla_api import CaseSla
from shared.http.sla_as_of_api import CaseSlaAsOf


def build_case_router(store: Any, history: CaseHistory | None = None, clock: Clock | None = None) -> APIRouter:
    """`store` needs `case_clock(case_id)` and `visits(case_id=...)` (services.sla.projection.SlaStore);
    `history` and `clock` serve ?as_of= (without them it is a 422)."""
    router = APIRouter(tags=["sla"])

    @router.get("/cases/{case_id}/sla", response_model=CaseSlaAsOf | CaseSla, responses=responses(404, 422, 502),
                summary="A case's clocks (SOP total, statutory deadline) and each step visit: started, due, used")
    async def case_sla(case_id: CaseId, as_of: AsOf = None) -> Any:
        if as_of is not None:
            return await sla_as_of(str(case_id), as_of)
        case_clock, visits = store.case_clock(str(case_id)), store.visits(case_id=str(case_id))
        if case_clock is None and not visits:
            raise ApiError(404, f"no SLA figures for case {case_id}", code="case_not_found")
        return CaseSla.model_validate({"case_id": str(case_id), "clock": case_clock, "visits": visits},
                                      from_attributes=True)

    async def sla_as_of(case_id: str, as_of: Any) -> CaseSlaAsOf:
        if history is None or clock is None:
            raise ApiError(422, "this SLA service answers no ?as_of= reads", code="as_of_unavailable")
        check_as_of(as_of, clock.now())
        events = await history.events(case_id, as_of)
        found = case_sla_as_of(case_id, as_of, events, store.library, history.calendar_at(as_of, store.calendar))
        if found is None:
            raise not_yet(case_id, as_of, "SLA figures of case")
        return CaseSlaAsOf.model_validate(found)

    return router
