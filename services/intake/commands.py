"""What every command route does before and after it reaches routing: the caller may see the case,
its times are bounded, and an Idempotency-Key replays the first answer."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import Header
from fastapi.responses import JSONResponse

from services.intake.idempotency import command_id
from services.intake.wiring import IntakeService
from shared.http.errors import ApiError
from shared.roles import Actor

IdempotencyKey = Annotated[str | None, Header(
    min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$",
    description="Makes a retry safe: the same key with the same body answers as the first time "
                "(kept 24 h); with another body or route, 422 idempotency_key_reused")]
Run = Callable[[UUID], Awaitable[tuple[int, Any]]]


def check_when(when: datetime | None, now: datetime, max_backdate_days: int, field: str) -> None:
    if when is None:
        return
    if when > now:
        raise ApiError(422, f"{field} lies in the future", code="invalid_time")
    if when < now - timedelta(days=max_backdate_days):
        raise ApiError(422, f"{field} lies more than {max_backdate_days} days in the past "
                            "(SOP_MAX_BACKDATE_DAYS)", code="invalid_time")


def check_letter_date(letter_date: date, came_in: date) -> None:
    if letter_date > came_in:
        raise ApiError(422, "body.letter.date lies after the day the letter came in", code="invalid_time")
    if letter_date < came_in - timedelta(days=366):
        raise ApiError(422, "body.letter.date lies more than a year before the day it came in: "
                            "ask for a current letter", code="invalid_time")


async def visible_case(svc: IntakeService, actor: Actor, case_id: UUID, route: str) -> dict[str, Any]:
    return await svc.visible_case(actor, str(case_id), route)


async def idempotent(svc: IntakeService, actor: Actor, route: str, key: str | None, body: Any,
                     run: Run) -> JSONResponse:
    if key is None:
        status, answer = await run(uuid4())
        return JSONResponse(answer, status)
    claim = await svc.keys.claim(actor.id, route, key, body)
    if claim.answer is not None:
        status, answer = claim.answer
        return JSONResponse(answer, status, headers={"Idempotent-Replayed": "true"})
    try:
        status, answer = await run(command_id(actor.id, route, key))
    except ApiError as exc:  # a refusal is an answer too: the retry hears it again
        status, answer = exc.status_code, {"error": exc.code, "reason": str(exc.detail)}
    except Exception:
        await svc.keys.settle(claim, route, body, 500, None)
        raise
    await svc.keys.settle(claim, route, body, status, answer)
    return JSONResponse(answer, status)
