"""What the SLA service publishes on sop.sla.events: alerts on a case's steps and calendar changes.

An alert's `occurred_at` is the instant the threshold was crossed; `recorded_at` the tick that
saw it. A calendar change belongs to no case: its case_id and sop_id are empty.
"""
from __future__ import annotations

from typing import Any

from services.sla.domain import CalendarHistory, CaseAlerts
from shared.contracts import EventMessage, stable_event_id
from shared.events import (
    AlertData, CalendarChanged, CalendarData, EscalationData, EscalationRaised, StepAtRisk, StepBreached,
)
from shared.roles import ActingAs

MONITOR = ActingAs(id="sla-monitor", name="SLA monitor", role="system")
# The stored events `to_message` maps; every other one maps to None (a rebuild skips them undecoded).
PUBLISHED = (CaseAlerts.StepAtRisk, CaseAlerts.StepBreached, CaseAlerts.EscalationRaised,
             CalendarHistory.CalendarChanged)


def to_message(e: Any, position: int) -> EventMessage | None:
    common = dict(event_id=stable_event_id("sla", e.originator_id, e.originator_version), source="sla",
                  position=position, actor=MONITOR)
    if isinstance(e, (CaseAlerts.StepAtRisk, CaseAlerts.StepBreached)):
        at_risk = isinstance(e, CaseAlerts.StepAtRisk)
        note = f"{e.used_fraction:.0%} of the standard time used" if at_risk else "standard time passed"
        return (StepAtRisk if at_risk else StepBreached)(
            **common, case_id=e.case_id, sop_id=e.sop_id, sop_version=e.sop_version, step=e.step,
            note=note, occurred_at=e.at, recorded_at=e.detected_at,
            data=AlertData(role=e.role, visit=e.visit, due_at=e.due_at, used_fraction=e.used_fraction),
        )
    if isinstance(e, CaseAlerts.EscalationRaised):
        return EscalationRaised(
            **common, case_id=e.case_id, sop_id=e.sop_id, sop_version=e.sop_version,
            step=e.step, note=e.reason, occurred_at=e.at, recorded_at=e.detected_at,
            data=EscalationData(visit=e.visit, from_role=e.from_role, to_role=e.to_role, reason=e.reason),
        )
    if isinstance(e, CalendarHistory.CalendarChanged):
        return CalendarChanged(
            **common, case_id="", sop_id="", sop_version=0, note="; ".join(e.changes),
            occurred_at=e.at, recorded_at=e.at,
            data=CalendarData(digest=e.digest, previous_digest=e.previous_digest, changes=list(e.changes)),
        )
    return None  # the aggregates' Started events: bookkeeping, not news
