"""Operator routes: see parked poison messages and send them back."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException

from services.intake.wiring import IntakeService
from shared.messaging.deadletters import list_dead_letters, retry_dead_letter
from shared.roles import Actor


def build_admin_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(prefix="/admin", tags=["operations"])

    def operator(actor: Annotated[Actor, Depends(svc.auth)]) -> Actor:
        if not actor.has("operator"):
            raise HTTPException(403, "operator role required")
        return actor

    Operator = Annotated[Actor, Depends(operator)]

    @router.get("/dead-letters", summary="Messages a consumer gave up on, with the last error")
    async def dead_letters(_: Operator) -> list[dict[str, Any]]:
        return await list_dead_letters(svc.runtime.redis, svc.settings.stream_prefix)

    @router.post("/dead-letters/{stream}/{entry_id}/retry", summary="Put a parked message back on its stream")
    async def retry(stream: str, entry_id: str, _: Operator) -> dict[str, str]:
        if not stream.startswith(f"{svc.settings.stream_prefix}.deadletter."):
            raise HTTPException(422, "not a dead-letter stream of this deployment")
        try:
            new_id = await retry_dead_letter(svc.runtime.redis, stream, entry_id)
        except KeyError as exc:
            raise HTTPException(404, str(exc.args[0])) from None
        return {"requeued_as": new_id}

    return router
