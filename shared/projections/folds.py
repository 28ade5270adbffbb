"""The register and the audit trail as pure folds over published events.

Each function turns one event into the changes it makes to a read model; the stores apply them.
Each stream is followed in order, but there is no order across streams, and a dead letter sent back
arrives after later events: so each change touches only the columns its event owns, and changes to the
moving current step apply only if newer than what is stored.
"""
from __future__ import annotations

from typing import Any

from shared.agency import agency
from shared.contracts import EventMessage
from shared.events import (
    CaseClosed, CaseOpened, CasePaused, CaseResumed, DeadlineExtended, EscalationRaised, RequestSubmitted,
    StepCompleted, typed,
)

AGENCY_ZONE = agency().tz


def register_changes(m: EventMessage) -> dict[str, Any] | None:
    """Columns of the register row (buku register) this event sets."""
    m = typed(m)
    if isinstance(m, RequestSubmitted):
        return {
            "register_number": m.data.register_number,
            "registered_on": m.occurred_at.astimezone(AGENCY_ZONE).date().isoformat(),
            "applicant": m.data.applicant.get("name"),
            "institution": m.data.applicant.get("institution"),
            "sop_id": m.sop_id,
            "sop_version": m.sop_version,
            "subject": m.data.subject,
            "submitted_by": m.actor.id if m.actor else None,
        }
    if m.source != "routing":
        return None
    changes = _routing_changes(m)
    version = getattr(m.data, "case_version", None)
    return changes if version is None else changes | {"case_version": version}


def _routing_changes(m: EventMessage) -> dict[str, Any]:
    if isinstance(m, CaseOpened):
        return {"current_step": m.data.current_step, "current_role": m.data.current_role,
                "routing_position": m.position}
    if isinstance(m, StepCompleted):
        return {"current_step": m.data.next_step, "current_role": m.data.next_role,
                "last_step": m.step, "last_decision": m.decision, "last_note": m.note, "routing_position": m.position}
    if isinstance(m, (CasePaused, CaseResumed)):  # its own guard: independent of the step columns
        paused = m.occurred_at.isoformat() if isinstance(m, CasePaused) else None
        return {"paused_since": paused, "pause_position": m.position}
    if isinstance(m, DeadlineExtended):
        return {"deadline_extended": 1}
    if isinstance(m, CaseClosed):  # the final StepCompleted already cleared the current step
        return {"outcome": m.data.outcome, "closed_on": m.occurred_at.astimezone(AGENCY_ZONE).date().isoformat()}
    return {}


def audit_row(m: EventMessage) -> dict[str, Any]:
    """One line of a case's audit trail: every published event of the case, from any service."""
    m = typed(m)
    return {
        "case_id": m.case_id, "source": m.source, "position": m.position, "event_id": m.event_id,
        "type": m.type, "sop_id": m.sop_id, "sop_version": m.sop_version, "step": m.step,
        "actor_id": m.actor.id if m.actor else None, "actor_name": m.actor.name if m.actor else None,
        "role": m.actor.role if m.actor else None, "decision": m.decision, "note": m.note,
        "occurred_at": m.occurred_at.isoformat(), "recorded_at": m.recorded_at.isoformat(),
        "outcome": m.data.outcome if isinstance(m, CaseClosed) else None,
    }


def escalation_row(m: EventMessage) -> dict[str, Any] | None:
    """An inbox item for the role above, when the SLA monitor escalates a breached step."""
    m = typed(m)
    if not isinstance(m, EscalationRaised) or not m.data.to_role:
        return None
    return {"case_id": m.case_id, "source": m.source, "position": m.position, "step": m.step,
            "from_role": m.data.from_role, "to_role": m.data.to_role,
            "reason": m.data.reason or m.note, "raised_at": m.occurred_at.isoformat()}


def status_of(row: dict[str, Any]) -> str:
    if row.get("outcome"):
        return "closed"
    if row.get("paused_since"):
        return "paused"
    if row.get("current_step") is not None:
        return "open"
    return "submitted"
