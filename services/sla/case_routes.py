"""GET /cases/{case_id}/sla: a case's clocks (SOP total, statutory deadline) and each step visit.

Async: runs on the event loop thread, beside the consumer and the timer, so the store's
connection is never shared between threads.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from shared.http.errors import ApiError, responses
from shared.http.params import CaseId
from shared.http.sla_api import CaseSla


def build_case_router(store: Any) -> APIRouter:
    """`store` needs `case_clock(case_id)` and `visits(case_id=...)` (services.sla.projection.SlaStore)."""
    router = APIRouter(tags=["sla"])

    @router.get("/cases/{case_id}/sla", response_model=CaseSla, responses=responses(404, 422),
                summary="A case's clocks (SOP total, statutory deadline) and each step visit: started, due, used")
    async def case_sla(case_id: CaseId) -> Any:
        case_clock, visits = store.case_clock(str(case_id)), store.visits(case_id=str(case_id))
        if case_clock is None and not visits:
            raise ApiError(404, f"no SLA figures for case {case_id}", code="case_not_found")
        return CaseSla.model_validate({"case_id": str(case_id), "clock": case_clock, "visits": visits},
                                      from_attributes=True)

    return router
