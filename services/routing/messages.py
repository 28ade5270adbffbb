"""What routing publishes: every fact of a case, with who may act next."""
from __future__ import annotations

from typing import Any

from services.routing.domain import Case
from shared.contracts import EventMessage, stable_event_id
from shared.roles import ActingAs
from shared.sop.loader import SopLibrary


def message_mapper(library: SopLibrary):
    def role_of(sop_id: str, version: int, step: int | None) -> str | None:
        found = library.get(sop_id, version).step(step) if step is not None else None
        return found.role if found else None

    def to_message(e: Any, position: int) -> EventMessage | None:
        message = case_message(e, position)
        # The case's own order: a consumer that got two of its events out of order can tell.
        return message and message.model_copy(update={"data": message.data | {"case_version": e.originator_version}})

    def case_message(e: Any, position: int) -> EventMessage | None:
        common = dict(
            event_id=stable_event_id("routing", e.originator_id, e.originator_version),
            source="routing", position=position, case_id=str(e.originator_id),
            sop_id=e.sop_id, sop_version=e.sop_version,
        )
        if isinstance(e, Case.Opened):
            return EventMessage(
                **common, type="CaseOpened", occurred_at=e.opened_at, recorded_at=e.timestamp,
                data={"register_number": e.register_number, "subject": e.subject, "applicant": e.applicant,
                      "current_step": e.start_step, "current_role": role_of(e.sop_id, e.sop_version, e.start_step),
                      "form": getattr(e, "form", None)},
            )
        if isinstance(e, Case.StepCompleted):
            return EventMessage(
                **common, type="StepCompleted", step=e.step, actor=ActingAs(**e.actor), decision=e.decision,
                note=e.note, occurred_at=e.occurred_at, recorded_at=e.recorded_at,
                data={"next_step": e.next_step, "next_role": role_of(e.sop_id, e.sop_version, e.next_step),
                      "withheld_parts": e.withheld_parts, "command_id": e.command_id,
                      "draft": getattr(e, "draft", None), "attachments": getattr(e, "attachments", None) or []},
            )
        if isinstance(e, Case.Closed):
            return EventMessage(
                **common, type="CaseClosed", occurred_at=e.closed_at, recorded_at=e.recorded_at,
                data={"outcome": e.outcome},
            )
        if isinstance(e, (Case.Paused, Case.Resumed, Case.DeadlineExtended)):
            return hold_message(e, common)
        return None

    return to_message


HOLD_TYPES = {"Paused": "CasePaused", "Resumed": "CaseResumed", "DeadlineExtended": "DeadlineExtended"}


def hold_message(e: Any, common: dict[str, Any]) -> EventMessage:
    kind = type(e).__name__
    data = {"reason": getattr(e, "reason", None)}
    if kind == "Resumed":
        data = {"note": e.note}
    if kind == "DeadlineExtended":
        data |= {"extra_working_days": e.extra_working_days, "basis": e.basis}
    return EventMessage(
        **common, type=HOLD_TYPES[kind], actor=ActingAs(**e.actor), note=data.get("reason") or data.get("note"),
        occurred_at=e.occurred_at, recorded_at=e.recorded_at, data=data,
    )
