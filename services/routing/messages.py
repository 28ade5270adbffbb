"""What routing publishes: every fact of a case, with who may act next and the case's own version."""
from __future__ import annotations

from typing import Any

from services.routing.domain import Case
from shared.contracts import EventMessage, stable_event_id
from shared.events import (
    CaseClosed, CaseOpened, CasePaused, CaseResumed, ClosedData, DeadlineExtended, ExtendedData, OpenedData,
    PausedData, ResumedData, StepCompleted, StepData,
)
from shared.roles import ActingAs
from shared.sop.loader import SopLibrary

# The stored events a mapper maps; every other one maps to None (a rebuild skips them undecoded).
PUBLISHED = (Case.Opened, Case.StepCompleted, Case.Closed, Case.Paused, Case.Resumed, Case.DeadlineExtended)


def message_mapper(library: SopLibrary):
    def role_of(sop_id: str, version: int, step: int | None) -> str | None:
        found = library.get(sop_id, version).step(step) if step is not None else None
        return found.role if found else None

    def to_message(e: Any, position: int) -> EventMessage | None:
        common = dict(
            event_id=stable_event_id("routing", e.originator_id, e.originator_version),
            source="routing", position=position, case_id=str(e.originator_id),
            sop_id=e.sop_id, sop_version=e.sop_version,
        )
        # The case's own order: a consumer that got two of its events out of order can tell.
        version = e.originator_version
        if isinstance(e, Case.Opened):
            return CaseOpened(**common, occurred_at=e.opened_at, recorded_at=e.timestamp, data=OpenedData(
                register_number=e.register_number, subject=e.subject, applicant=e.applicant,
                current_step=e.start_step, current_role=role_of(e.sop_id, e.sop_version, e.start_step),
                form=e.form, tracking_code=e.tracking_code, answer_due_at=e.answer_due_at,
                case_version=version))
        if isinstance(e, Case.StepCompleted):
            return StepCompleted(
                **common, step=e.step, actor=ActingAs(**e.actor), decision=e.decision, note=e.note,
                occurred_at=e.occurred_at, recorded_at=e.recorded_at, data=StepData(
                    next_step=e.next_step, next_role=role_of(e.sop_id, e.sop_version, e.next_step),
                    withheld_parts=e.withheld_parts, command_id=e.command_id, draft=e.draft,
                    attachments=e.attachments or [], case_version=version))
        if isinstance(e, Case.Closed):
            return CaseClosed(**common, occurred_at=e.closed_at, recorded_at=e.recorded_at,
                              data=ClosedData(outcome=e.outcome, case_version=version))
        if isinstance(e, (Case.Paused, Case.Resumed, Case.DeadlineExtended)):
            return hold_message(e, common, version)
        return None

    return to_message


def hold_message(e: Any, common: dict[str, Any], version: int) -> EventMessage:
    held = dict(common, actor=ActingAs(**e.actor), occurred_at=e.occurred_at, recorded_at=e.recorded_at)
    if isinstance(e, Case.Paused):
        return CasePaused(**held, note=e.reason, data=PausedData(reason=e.reason, case_version=version))
    if isinstance(e, Case.Resumed):
        return CaseResumed(**held, note=e.note, data=ResumedData(note=e.note, case_version=version))
    return DeadlineExtended(**held, note=e.reason, data=ExtendedData(
        reason=e.reason, extra_working_days=e.extra_working_days, basis=e.basis, case_version=version))
