"""GET /track/{register_number}?code=: the applicant's own view of the request, public (no key), rate-limited
as strictly as verification. A wrong code answers the same 404 as a number that does not exist, so the
page is no oracle for which numbers are taken."""

import hmac
import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from services.intake.status_page import status_html, status_of_request
from services.intake.wiring import IntakeService
from shared.http.errors import ApiError, responses

RegisterNumber = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9./-]*$",
                                     description="As printed on the receipt, e.g. 0007/REG/BAPPEDA/2026")]
Code = Annotated[str, Query(min_length=8, max_length=16, pattern=r"^[A-Za-z0-9-]+$",
                            description="The tracking code printed on the buku tamu and the receipt, e.g. K7QM-3XPA")]


class RequestStatus(BaseModel):
    register_number: str
    service: str = Field(description="The SOP's title")
    status: str = Field(description="submitted, open, paused or closed")
    status_text: str = Field(description="The status in Indonesian")
    registered_on: str
    step: int | None = Field(description="The step the request waits at; null once closed")
    step_text: str | None
    next: str = Field(description="What happens next, in Indonesian")
    standard_time: str | None = Field(description='The step\'s standard working time, e.g. "1 hari"')
    step_due_at: str | None = Field(description="When the step is due by its standard (working time)")
    sop_due_at: str | None
    statutory_basis: str | None = Field(description='e.g. "UU 14/2008 pasal 22"; null without a statutory clock')
    statutory_due_at: str | None
    deadline_extended: bool
    closed_on: str | None


def normal(code: str) -> str:
    return code.replace("-", "").upper()


def build_track_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(tags=["public"])

    @router.get("/track/{register_number:path}", response_model=RequestStatus,
                summary="Where a request stands, for its applicant (public: the register number and tracking code)",
                responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}, **responses(404, 422, 429)})
    async def track(register_number: RegisterNumber, code: Code, request: Request) -> Any:
        found = svc.views.tracked(register_number)
        # compare_digest against a dummy for an unknown number too: the time taken says nothing either
        known = normal(found["code"]) if found else "0" * 8
        if not hmac.compare_digest(known.encode(), normal(code).encode()) or found is None:
            raise ApiError(404, "no request with this register number and tracking code")
        row = svc.views.case(found["case_id"])
        if row is None:
            raise ApiError(404, "no request with this register number and tracking code")
        status = status_of_request(row, svc.library, await sla_of(svc, found["case_id"]))
        if "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(status_html(status), headers={"Cache-Control": "no-store"})
        return JSONResponse(RequestStatus(**status).model_dump(mode="json"), headers={"Cache-Control": "no-store"})

    return router


async def sla_of(svc: IntakeService, case_id: str) -> dict[str, Any] | None:
    """The SLA service's clocks of the case; without them the page still says where the request stands."""
    try:
        answer = await svc.upstreams.sla.get(("cases", case_id, "sla"))
    except ApiError:
        return None
    return json.loads(answer.body) if answer.status_code == 200 else None
