"""Pause, resume, extend: commands on a case's clocks, sent to routing like step commands."""
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends

from services.intake.answers import CommandAnswer
from services.intake.commands import IdempotencyKey, check_when, idempotent, visible_case
from services.intake.schemas import HoldCase
from services.intake.wiring import IntakeService
from shared.contracts import CaseCommand
from shared.http.params import CaseId
from shared.http.errors import responses
from shared.roles import Actor

ERRORS = responses(400, 401, 403, 404, 409, 413, 422, 504)


def build_holds_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(prefix="/cases/{case_id}", tags=["cases"], responses=ERRORS)
    Caller = Annotated[Actor, Depends(svc.auth)]

    async def send(action: Literal["pause", "resume", "extend_deadline"], path: str, case_id: UUID,
                   body: HoldCase, actor: Actor, key: str | None) -> Any:
        route = f"POST /cases/{case_id}/{path}"
        await visible_case(svc, actor, case_id, route)
        check_when(body.occurred_at, svc.intake.clock.now(), svc.settings.max_backdate_days, "body.occurred_at")

        async def run(command_id: UUID) -> tuple[int, Any]:
            return await svc.answer(CaseCommand(
                command_id=str(command_id), case_id=str(case_id), action=action, reason=body.reason,
                actor_id=actor.id, actor_name=actor.name, actor_roles=actor.roles, occurred_at=body.occurred_at,
            ))
        return await idempotent(svc, actor, route, key, body.model_dump(mode="json"), run)

    @router.post("/pause", summary="Pause the case's clocks (e.g. waiting for the applicant), with a reason",
                 response_model=CommandAnswer)
    async def pause(case_id: CaseId, body: HoldCase, actor: Caller, idempotency_key: IdempotencyKey = None) -> Any:
        return await send("pause", "pause", case_id, body, actor, idempotency_key)

    @router.post("/resume", summary="Resume a paused case; the reason is kept as a note", response_model=CommandAnswer)
    async def resume(case_id: CaseId, body: HoldCase, actor: Caller, idempotency_key: IdempotencyKey = None) -> Any:
        return await send("resume", "resume", case_id, body, actor, idempotency_key)

    @router.post("/deadline-extension", summary="Extend the statutory deadline once, with a written reason",
                 response_model=CommandAnswer)
    async def extend(case_id: CaseId, body: HoldCase, actor: Caller, idempotency_key: IdempotencyKey = None) -> Any:
        return await send("extend_deadline", "deadline-extension", case_id, body, actor, idempotency_key)

    return router
