"""The one HTTP API portals use. Reads come from intake's read models; step
commands go to routing over its command stream and wait for its answer."""

from typing import Annotated, Any
from uuid import uuid4

from fastapi import APIRouter, Depends, Header, HTTPException

from services.intake.schemas import CompleteStep, Submitted, SubmitRequest
from shared.http.errors import ErrorBody
from services.intake.wiring import IntakeService
from shared.contracts import StepCommand
from shared.roles import Actor
from shared.sop.machine import Refused

ERRORS = {s: {"model": ErrorBody} for s in (400, 401, 403, 404, 409, 413, 422, 504)}


def build_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(responses=ERRORS)
    Caller = Annotated[Actor, Depends(svc.auth)]

    @router.get("/sops", tags=["sops"], summary="Every SOP definition, every version")
    async def list_sops(_: Caller) -> list[dict[str, Any]]:
        return [s.model_dump(mode="json") for s in svc.library.all()]

    @router.get("/sops/{sop_id}", tags=["sops"], summary="The latest version of one SOP")
    async def get_sop(sop_id: str, _: Caller) -> dict[str, Any]:
        try:
            return svc.library.latest(sop_id).model_dump(mode="json")
        except KeyError as exc:
            raise HTTPException(404, str(exc.args[0])) from None

    @router.post("/requests", tags=["cases"], status_code=201, summary="Submit a request (step 1)")
    async def submit(body: SubmitRequest, actor: Caller) -> Submitted:
        try:
            sop = svc.library.latest(body.sop_id)
        except KeyError as exc:
            raise HTTPException(404, str(exc.args[0])) from None
        if sop.intake_form == "letter" and body.letter is None:
            raise HTTPException(422, f"{sop.id} starts with a letter: give letter.number, letter.date, letter.purpose_of_use")
        form = body.model_dump(mode="json", exclude={"sop_id", "occurred_at"}, exclude_none=True)
        try:
            request = svc.intake.submit(sop.id, form, actor, body.occurred_at)
        except Refused as exc:
            raise HTTPException(403 if exc.code == "wrong_role" else 422, exc.reason) from None
        svc.runtime.wake_relays()
        return Submitted(case_id=str(request.id), register_number=request.register_number,
                         sop_id=request.sop_id, sop_version=request.sop_version)

    @router.post("/cases/{case_id}/steps/{step}", tags=["cases"], summary="Complete the current step")
    async def complete_step(
        case_id: str, step: int, body: CompleteStep, actor: Caller,
        idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
    ) -> dict[str, Any]:
        try:
            attachments = [svc.blobs.meta(sha256) for sha256 in body.attachments or []]
        except KeyError as exc:
            raise HTTPException(422, f"{exc.args[0]}: upload it first") from None
        command = StepCommand(
            command_id=idempotency_key or str(uuid4()), case_id=case_id, step=step, decision=body.decision,
            actor_id=actor.id, actor_name=actor.name, actor_roles=actor.roles, note=body.note,
            withheld_parts=[p.model_dump() for p in body.withheld_parts] if body.withheld_parts else None,
            draft=body.draft, attachments=attachments or None, occurred_at=body.occurred_at,
        )
        return await svc.answer(command)

    @router.get("/cases/{case_id}", tags=["cases"], summary="A case: state, current step, who may act, history")
    async def read_case(case_id: str, _: Caller) -> dict[str, Any]:
        row = svc.views.case(case_id)
        if row is None or row["register_number"] is None:
            raise HTTPException(404, f"no case {case_id}")
        return svc.describe(row) | {"history": svc.views.audit(case_id)}

    @router.get("/cases/{case_id}/audit", tags=["cases"], summary="Every event of a case, in order")
    async def audit(case_id: str, _: Caller) -> list[dict[str, Any]]:
        trail = svc.views.audit(case_id)
        if not trail:
            raise HTTPException(404, f"no case {case_id}")
        return trail

    @router.get("/inbox", tags=["cases"], summary="Cases waiting for the caller's roles, and escalations to them")
    async def inbox(actor: Caller, role: str | None = None) -> dict[str, list[dict[str, Any]]]:
        if role and role not in actor.roles:
            raise HTTPException(403, f"you do not hold role '{role}'")
        roles = [role] if role else list(actor.roles)
        return {"waiting": [svc.describe(r) for r in svc.views.inbox(roles)],
                "escalated": svc.views.escalations(roles)}

    @router.get("/register", tags=["register"], summary="The register book (buku register)")
    async def register(_: Caller, sop_id: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
        if status not in (None, "submitted", "open", "paused", "closed"):
            raise HTTPException(422, "status is one of submitted, open, paused, closed")
        return svc.views.register(sop_id, status)

    return router
