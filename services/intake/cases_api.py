"""Submit a request, complete a step, read a case and its audit trail."""

import asyncio
import random
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query

from services.intake.application import NumberTaken
from services.intake.as_of_reads import audit_as_of, case_as_of
from services.intake.answers import AuditEntry, CaseAnswer, CommandAnswer, Submitted
from services.intake.commands import IdempotencyKey, check_letter_date, check_when, idempotent, visible_case
from services.intake.rows import audit_entry, current_step, register_row
from services.intake.schemas import CompleteStep, SubmitRequest
from services.intake.views.paging import AUDIT_KEY, audit_page
from services.intake.wiring import IntakeService
from shared.agency import agency
from shared.contracts import StepCommand
from shared.http.as_of import AsOf
from shared.http.errors import ApiError, responses
from shared.http.pages import After, Limit, Page, decode_cursor, page_of
from shared.http.params import CaseId
from shared.roles import Actor
from shared.sop.machine import Refused

MinVersion = Annotated[int, Query(ge=0, le=1_000_000, description=(
    "Read your own writes: wait (at most SOP_READ_WAIT_S) until the answer reflects this case version, "
    "the `version` a command answered"))]


def build_cases_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(tags=["cases"])
    Caller = Annotated[Actor, Depends(svc.auth)]

    @router.post("/requests", status_code=201, summary="Submit a request (step 1)", response_model=Submitted,
                 responses=responses(400, 401, 403, 404, 409, 413, 422))
    async def submit(body: SubmitRequest, actor: Caller, idempotency_key: IdempotencyKey = None) -> Any:
        try:
            sop = svc.library.latest(body.sop_id)
        except KeyError as exc:
            raise ApiError(404, str(exc.args[0])) from None
        if sop.intake_form == "letter" and body.letter is None:
            raise ApiError(422, f"{sop.id} starts with a letter: give letter.number, letter.date, letter.purpose_of_use")
        now = svc.intake.clock.now()
        check_when(body.occurred_at, now, svc.settings.max_backdate_days, "body.occurred_at")
        if body.letter is not None:
            check_letter_date(body.letter.date, (body.occurred_at or now).astimezone(agency().tz).date())
        form = body.model_dump(mode="json", exclude={"sop_id", "occurred_at"}, exclude_none=True)

        async def run(request_id: UUID) -> tuple[int, Any]:
            try:
                request = await submitted(svc, sop.id, form, actor, body.occurred_at,
                                          request_id if idempotency_key else None)
            except Refused as exc:
                status = {"wrong_role": 403, "idempotency_key_reused": 422}.get(exc.code, 422)
                raise ApiError(status, exc.reason, code=exc.code) from None
            svc.runtime.wake_relays()
            return 201, Submitted(case_id=str(request.id), register_number=request.register_number,
                                  sop_id=request.sop_id, sop_version=request.sop_version,
                                  tracking_code=request.tracking_code).model_dump()
        return await idempotent(svc, actor, "POST /requests", idempotency_key, body.model_dump(mode="json"), run)

    @router.post("/cases/{case_id}/steps/{step}", summary="Complete the current step", response_model=CommandAnswer,
                 responses=responses(400, 401, 403, 404, 409, 413, 422, 504))
    async def complete_step(case_id: CaseId, step: Annotated[int, Path(ge=1, le=999)], body: CompleteStep,
                            actor: Caller, idempotency_key: IdempotencyKey = None) -> Any:
        route = f"POST /cases/{case_id}/steps/{step}"
        row = await visible_case(svc, actor, case_id, route)
        sop = svc.library.get(row["sop_id"], row["sop_version"])
        if sop.step(step) is None:
            raise ApiError(422, f"{sop.id} version {sop.version} has no step {step}; its steps are "
                                f"{', '.join(str(s.number) for s in sop.steps)}", code="unknown_step")
        check_when(body.occurred_at, svc.intake.clock.now(), svc.settings.max_backdate_days, "body.occurred_at")
        try:
            attachments = [svc.files.attachment(str(case_id), sha256) for sha256 in body.attachments or []]
        except KeyError as exc:
            raise ApiError(422, f"{exc.args[0]}: upload it first") from None

        async def run(command_id: UUID) -> tuple[int, Any]:
            return await svc.answer(StepCommand(
                command_id=str(command_id), case_id=str(case_id), step=step, decision=body.decision,
                actor_id=actor.id, actor_name=actor.name, actor_roles=actor.roles, note=body.note,
                withheld_parts=[p.model_dump() for p in body.withheld_parts] if body.withheld_parts else None,
                draft=body.draft, attachments=attachments or None, occurred_at=body.occurred_at,
            ))
        return await idempotent(svc, actor, route, idempotency_key, body.model_dump(mode="json"), run)

    @router.get("/cases/{case_id}", summary="A case: state, current step, who may act, history",
                response_model=CaseAnswer, responses=responses(401, 404, 409, 422, 502, 503))
    async def read_case(case_id: CaseId, actor: Caller, min_version: MinVersion = 0, as_of: AsOf = None) -> Any:
        if as_of is not None:  # folded from the logs: min_version, a read model's notion, does not apply
            return await case_as_of(svc, actor, str(case_id), as_of)
        row = await svc.visible_case(actor, str(case_id), "GET /cases/{case_id}", min_version)
        history = [audit_entry(r) for r in audit_page(svc.views.db, str(case_id), 1000, None)[:1000]]
        return register_row(row, svc.library, svc.intake.revealer) | {"current": current_step(row, svc.library), "history": history}

    @router.get("/cases/{case_id}/audit", summary="Every event of a case, in order", response_model=Page[AuditEntry],
                responses=responses(401, 404, 409, 422, 502, 503))
    async def audit(case_id: CaseId, actor: Caller, limit: Limit = 100, after: After = None,
                    min_version: MinVersion = 0, as_of: AsOf = None) -> Any:
        if as_of is not None:
            return await audit_as_of(svc, actor, str(case_id), as_of, limit, after)
        await svc.visible_case(actor, str(case_id), "GET /cases/{case_id}/audit", min_version)
        rows = audit_page(svc.views.db, str(case_id), limit, decode_cursor(after, len(AUDIT_KEY)))
        page = page_of(rows, limit, lambda r: [r[k] for k in AUDIT_KEY])
        return page | {"items": [audit_entry(r) for r in page["items"]]}

    return router


async def submitted(svc: IntakeService, sop_id: str, form: dict[str, Any], actor: Actor, occurred_at: Any,
                    request_id: UUID | None) -> Any:
    for attempt in range(20):
        try:
            return svc.intake.submit(sop_id, form, actor, occurred_at, request_id=request_id)
        except NumberTaken:
            # A random pause, so writers that collided do not keep colliding in lockstep; awaited,
            # so the other requests of this process go on meanwhile.
            await asyncio.sleep(random.uniform(0, 0.002 * 2 ** min(attempt, 5)))
    raise ApiError(503, "could not issue a register number: too much contention; retry", code="contention",
                   headers={"Retry-After": "1"})

