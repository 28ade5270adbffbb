"""The lists: SOP definitions, the register, the inbox and escalations. Each list is a page, filtered by
what the caller may see before it is cut."""

from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query

from services.intake.answers import Escalation, InboxItem, RegisterRow
from services.intake.rows import current_step, escalation, register_row
from services.intake.views.paging import ESCALATION_KEY, REGISTER_KEY, escalation_page, register_page
from services.intake.wiring import IntakeService
from shared.http.errors import ApiError, responses
from shared.http.pages import After, Limit, Page, decode_cursor, page_of
from shared.http.params import FIRST_DAY, LAST_DAY
from shared.roles import KNOWN_ROLES, Actor
from shared.sop.schema import SopDefinition

SopId = Annotated[str | None, Query(max_length=64, pattern=r"^[a-z][a-z0-9-]*$")]
RoleId = Annotated[Literal[tuple(sorted(KNOWN_ROLES))] | None, Query(description="one of the caller's roles")]
From = Annotated[date | None, Query(alias="from", ge=FIRST_DAY, le=LAST_DAY,
                                    description="registered on or after, YYYY-MM-DD")]
To = Annotated[date | None, Query(alias="to", ge=FIRST_DAY, le=LAST_DAY, description="registered on or before, YYYY-MM-DD")]
REGISTER_ARITY, ESCALATION_ARITY = len(REGISTER_KEY), len(ESCALATION_KEY)


def register_cursor(row: dict[str, Any]) -> list[Any]:
    return [row["registered_on"], row["register_number"], row["case_id"]]


def build_lists_router(svc: IntakeService) -> APIRouter:
    router = APIRouter()
    Caller = Annotated[Actor, Depends(svc.auth)]

    def roles_of(actor: Actor, role: str | None) -> tuple[str, ...]:
        if role and role not in actor.roles:
            raise ApiError(403, f"you do not hold role '{role}'")
        return (role,) if role else actor.roles

    @router.get("/sops", tags=["sops"], summary="Every SOP definition, every version",
                response_model=list[SopDefinition], responses=responses(401))
    async def list_sops(_: Caller) -> Any:
        return svc.library.all()

    @router.get("/sops/{sop_id}", tags=["sops"], summary="The latest version of one SOP",
                response_model=SopDefinition, responses=responses(401, 404, 422))
    async def get_sop(sop_id: Annotated[str, Path(max_length=64, pattern=r"^[a-z][a-z0-9-]*$")], _: Caller) -> Any:
        try:
            return svc.library.latest(sop_id)
        except KeyError as exc:
            raise ApiError(404, str(exc.args[0])) from None

    @router.get("/register", tags=["register"], summary="The buku register: the cases the caller may see",
                response_model=Page[RegisterRow], responses=responses(401, 403, 422))
    async def register(actor: Caller, sop_id: SopId = None,
                       status: Literal["submitted", "open", "paused", "closed"] | None = None,
                       start: From = None, end: To = None, limit: Limit = 100, after: After = None) -> Any:
        rows = await svc.access.lists(actor, "GET /register")
        wanted = replace(rows, sop_id=sop_id, status=status, registered_from=start, registered_to=end)
        found = register_page(svc.views.db, wanted, limit, decode_cursor(after, REGISTER_ARITY))
        page = page_of(found, limit, register_cursor)
        opened = svc.intake.revealer.reveal([dict(r) for r in page["items"]])  # one look-up of keys a page
        return page | {"items": [register_row(r, svc.library, svc.intake.revealer) for r in opened]}

    @router.get("/inbox", tags=["cases"], summary="Open cases waiting at the caller's roles",
                response_model=Page[InboxItem], responses=responses(401, 403, 422))
    async def inbox(actor: Caller, role: RoleId = None, sop_id: SopId = None, overdue: bool | None = None,
                    limit: Limit = 100, after: After = None) -> Any:
        roles = roles_of(actor, role)
        rows = await svc.access.lists(actor, "GET /inbox")
        wanted = replace(rows, sop_id=sop_id)
        found = register_page(svc.views.db, wanted, limit, decode_cursor(after, REGISTER_ARITY), roles, overdue)
        page = page_of(found, limit, register_cursor)
        opened = svc.intake.revealer.reveal([dict(r) for r in page["items"]])
        return page | {"items": [register_row(r, svc.library, svc.intake.revealer) | {
            "current": current_step(r, svc.library), "overdue": bool(r["overdue"])} for r in opened]}

    @router.get("/inbox/escalated", tags=["cases"], summary="Breached steps escalated to the caller's roles",
                response_model=Page[Escalation], responses=responses(401, 403, 422))
    async def escalated(actor: Caller, role: RoleId = None, sop_id: SopId = None, limit: Limit = 100,
                        after: After = None) -> Any:
        roles = roles_of(actor, role)
        rows = await svc.access.lists(actor, "GET /inbox/escalated")
        wanted = replace(rows, sop_id=sop_id)
        found = escalation_page(svc.views.db, wanted, roles, limit, decode_cursor(after, ESCALATION_ARITY))
        page = page_of(found, limit, lambda r: [r["raised_at"], r["source"], r["position"]])
        return page | {"items": [escalation(r) for r in page["items"]]}

    return router
