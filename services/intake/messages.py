"""What intake publishes: its stored events as `EventMessage`s."""
from __future__ import annotations

from typing import Any

from services.intake.domain import Request
from shared.contracts import stable_event_id
from shared.contracts import EventMessage
from shared.events import ErasedData, PersonalDataErased, RequestSubmitted, SubmittedData
from shared.roles import ActingAs

# The stored events `to_message` maps; every other one maps to None (a rebuild skips them undecoded).
PUBLISHED = (Request.Submitted, Request.PersonalDataErased)


def to_message(domain_event: Any, position: int) -> EventMessage | None:
    if isinstance(domain_event, Request.PersonalDataErased):
        return erased_message(domain_event, position)
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


def erased_message(e: Any, position: int) -> PersonalDataErased:
    """The erasure in the case's audit trail and on intake's stream: documents removes the PDFs it held."""
    return PersonalDataErased(
        event_id=stable_event_id("intake", e.originator_id, e.originator_version), source="intake", position=position,
        case_id=str(e.originator_id), sop_id=e.sop_id, sop_version=e.sop_version, actor=ActingAs(**e.erased_by),
        note=e.reason, occurred_at=e.occurred_at, recorded_at=e.recorded_at,
        data=ErasedData(data_subject_id=str(e.originator_id), legal_basis=e.legal_basis, reason=e.reason),
    )
