"""Pause, resume, extend: commands on a case's clocks, sent to routing like step commands."""
from typing import Annotated, Any, Literal
from uuid import uuid4

from fastapi import APIRouter, Depends, Header

from services.intake.schemas import HoldCase
from shared.http.errors import ErrorBody
from services.intake.wiring import IntakeService
from shared.contracts import CaseCommand
from shared.roles import Actor

ERRORS = {s: {"model": ErrorBody} for s in (401, 403, 404, 409, 422, 504)}


def build_holds_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(prefix="/cases/{case_id}", tags=["cases"], responses=ERRORS)
    Caller = Annotated[Actor, Depends(svc.auth)]
    Key = Annotated[str | None, Header(max_length=100)]

    async def send(action: Literal["pause", "resume", "extend_deadline"], case_id: str, body: HoldCase,
                   actor: Actor, key: str | None) -> Any:
        return await svc.answer(CaseCommand(
            command_id=key or str(uuid4()), case_id=case_id, action=action, reason=body.reason,
            actor_id=actor.id, actor_name=actor.name, actor_roles=actor.roles, occurred_at=body.occurred_at,
        ))

    @router.post("/pause", summary="Pause the case's clocks (e.g. waiting for the applicant), with a reason")
    async def pause(case_id: str, body: HoldCase, actor: Caller, idempotency_key: Key = None) -> dict[str, Any]:
        return await send("pause", case_id, body, actor, idempotency_key)

    @router.post("/resume", summary="Resume a paused case; the reason is kept as a note")
    async def resume(case_id: str, body: HoldCase, actor: Caller, idempotency_key: Key = None) -> dict[str, Any]:
        return await send("resume", case_id, body, actor, idempotency_key)

    @router.post("/deadline-extension", summary="Extend the statutory deadline once, with a written reason")
    async def extend(case_id: str, body: HoldCase, actor: Caller, idempotency_key: Key = None) -> dict[str, Any]:
        return await send("extend_deadline", case_id, body, actor, idempotency_key)

    return router
