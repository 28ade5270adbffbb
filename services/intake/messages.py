"""What intake publishes: its stored events as `EventMessage`s."""
from __future__ import annotations

from typing import Any

from services.intake.domain import Request
from shared.contracts import stable_event_id
from shared.events import RequestSubmitted, SubmittedData
from shared.roles import ActingAs


def to_message(domain_event: Any, position: int) -> RequestSubmitted | None:
    if not isinstance(domain_event, Request.Submitted):
        return None  # the register book's numbering stays inside intake
    e = domain_event
    form = e.form
    return RequestSubmitted(
        event_id=stable_event_id("intake", e.originator_id, e.originator_version),
        source="intake",
        position=position,
        case_id=str(e.originator_id),
        sop_id=e.sop_id,
        sop_version=e.sop_version,
        step=e.start_step,
        actor=ActingAs(**e.submitted_by),
        occurred_at=e.occurred_at,
        recorded_at=e.recorded_at,
        data=SubmittedData(register_number=e.register_number, subject=form["subject"], applicant=form["applicant"],
                           form=form, tracking_code=e.tracking_code),
    )
