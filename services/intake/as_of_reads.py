"""GET /cases/{id} and its audit trail `?as_of=` an instant: what was true then, built from the events.

Intake reads its own log (the submission); routing, documents and the SLA service each answer their own
events of the case (their internal /cases/{id}/events). The caller is checked first, exactly as for the
live reads (services/intake/access.py): a case it may not see is a 404 before any log is asked.
"""
from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from uuid import UUID

from services.intake.messages import to_message
from services.intake.rows import audit_entry, current_step, register_row
from services.intake.views.as_of import folded, registered
from services.intake.views.paging import AUDIT_KEY, audit_page
from services.intake.wiring import IntakeService
from shared.contracts import EventMessage
from shared.history import published
from shared.http.as_of import check_as_of, not_yet
from shared.http.pages import decode_cursor, page_of
from shared.roles import Actor


async def may_read(svc: IntakeService, actor: Actor, case_id: str, route: str, as_of: datetime) -> datetime:
    """The same object-level check as the live reads, then the instant's own bound."""
    await svc.access.case(actor, svc.views.case(case_id) or svc.intake.owner(case_id), route, case_id)
    return check_as_of(as_of, svc.intake.clock.now())


def registered_by(svc: IntakeService, case_id: str, as_of: datetime) -> bool:
    """Whether intake had recorded the case's submission by `as_of`."""
    return any(m.recorded_at <= as_of for _, m in published(svc.intake, UUID(case_id), to_message))


async def case_events(svc: IntakeService, case_id: str, as_of: datetime) -> list[EventMessage]:
    """Every service's events of the case recorded by `as_of`, each from its own log."""
    own = [m for _, m in published(svc.intake, UUID(case_id), to_message) if m.recorded_at <= as_of]
    if not own:
        raise not_yet(case_id, as_of)  # nothing of a case exists before its submission
    ups = svc.upstreams
    others = await asyncio.gather(*(u.case_events(case_id, as_of) for u in (ups.routing, ups.documents, ups.sla)))
    return own + [m for found in others for m in found]


async def case_as_of(svc: IntakeService, actor: Actor, case_id: str, as_of: datetime) -> dict[str, Any]:
    as_of = await may_read(svc, actor, case_id, "GET /cases/{case_id}", as_of)
    store = folded(case_id, await case_events(svc, case_id, as_of), as_of)
    row = registered(store, case_id)
    if row is None:
        raise not_yet(case_id, as_of)
    history = [audit_entry(r) for r in audit_page(store.db, case_id, 1000, None)[:1000]]
    return register_row(row, svc.library, svc.intake.revealer) | {"current": current_step(row, svc.library), "history": history,
                                             "as_of": as_of}


async def audit_as_of(svc: IntakeService, actor: Actor, case_id: str, as_of: datetime, limit: int,
                      after: str | None) -> dict[str, Any]:
    as_of = await may_read(svc, actor, case_id, "GET /cases/{case_id}/audit", as_of)
    cursor = decode_cursor(after, len(AUDIT_KEY))
    store = folded(case_id, await case_events(svc, case_id, as_of), as_of)
    page = page_of(audit_page(store.db, case_id, limit, cursor), limit, lambda r: [r[k] for k in AUDIT_KEY])
    return page | {"items": [audit_entry(r) for r in page["items"]]}
