"""Operator routes: see parked poison messages and send them back."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from services.intake.answers import DeadLetter, Requeued
from services.intake.wiring import IntakeService
from shared.http.errors import ApiError, responses
from shared.http.pages import After, Limit, Page, decode_cursor, page_of
from shared.messaging.deadletters import dead_letter_page, retry_dead_letter
from shared.roles import Actor

EntryId = Annotated[str, Path(max_length=40, pattern=r"^[0-9]+-[0-9]+$", description="a Redis stream entry id")]


def build_admin_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(prefix="/admin", tags=["operations"], responses=responses(401, 403, 422))

    async def operator(actor: Annotated[Actor, Depends(svc.auth)]) -> Actor:
        await svc.access.role_in(actor, ("operator",), "/admin")
        return actor

    Operator = Annotated[Actor, Depends(operator)]

    @router.get("/dead-letters", summary="Messages a consumer gave up on, with the last error",
                response_model=Page[DeadLetter])
    async def dead_letters(_: Operator, limit: Limit = 100, after: After = None,
                           group: Annotated[str | None, Query(max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")] = None
                           ) -> Any:
        cursor = decode_cursor(after, 2)
        found = await dead_letter_page(svc.runtime.redis, svc.settings.stream_prefix, limit,
                                       tuple(cursor) if cursor else None, group)
        return page_of(found, limit, lambda r: [r["dead_letter_stream"], r["id"]])

    @router.post("/dead-letters/{stream}/{entry_id}/retry", summary="Put a parked message back on its stream",
                 response_model=Requeued, responses=responses(404))
    async def retry(stream: Annotated[str, Path(max_length=200, pattern=r"^[A-Za-z0-9_.-]+$")], entry_id: EntryId,
                    _: Operator) -> Any:
        if not stream.startswith(f"{svc.settings.stream_prefix}.deadletter."):
            raise ApiError(422, "not a dead-letter stream of this deployment")
        try:
            new_id = await retry_dead_letter(svc.runtime.redis, stream, entry_id)
        except KeyError as exc:
            raise ApiError(404, str(exc.args[0])) from None
        return {"requeued_as": new_id}

    return router
