"""The SLA figures of one case as they stood at an instant: folded from the events recorded by then.

Routing's events of the case and this service's own alerts, each kept only if recorded by `as_of`, go
through the live read model's own fold into a fresh in-memory store (never the stored figures), with
the calendar in force then; each clock is then judged at `as_of`: the working time used by then, and
whether its standard had run out. Pure: the caller reads the logs and names the instant.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from shared.working_calendar import WorkingCalendar
from services.sla.clocks import Pause, before, used_seconds
from services.sla.projection import SlaStore
from shared.contracts import EventMessage
from shared.sop.loader import SopLibrary


def case_sla_as_of(case_id: str, as_of: datetime, events: list[EventMessage], library: SopLibrary,
                   calendar: WorkingCalendar) -> dict[str, Any] | None:
    """The CaseSlaAsOf answer, or None when no event of the case was recorded by `as_of`."""
    store = SlaStore(":memory:", library, calendar)
    failed = store.apply_batch([m for m in events if m.case_id == case_id and m.recorded_at <= as_of])
    if failed:
        raise ValueError(f"events of case {case_id} do not fold: {failed}")
    clock, visits, pauses = store.case_clock(case_id), store.visits(case_id=case_id), store.pauses(case_id)
    if clock is None and not visits:
        return None
    return {"case_id": case_id, "as_of": as_of, "calendar_digest": calendar.digest(),
            "clock": judged_clock(asdict(clock), as_of, pauses, calendar) if clock else None,
            "visits": [judged_visit(asdict(v), as_of, pauses, calendar) for v in visits]}


def _elapsed(start: datetime, end: datetime | None, as_of: datetime, pauses: list[Pause],
             calendar: WorkingCalendar) -> tuple[datetime, float]:
    until = end or as_of
    return until, used_seconds(calendar, start, until, before(pauses, until)) if until > start else 0.0


def judged_visit(visit: dict[str, Any], as_of: datetime, pauses: list[Pause], calendar: WorkingCalendar) -> dict[str, Any]:
    until, elapsed = _elapsed(visit["started_at"], visit["completed_at"], as_of, pauses, calendar)
    paused = visit["paused_since"] is not None and visit["completed_at"] is None  # the clock stood still
    overdue = visit["on_time"] is False if visit["completed_at"] else (not paused and until > visit["due_at"])
    return visit | {"elapsed_seconds": elapsed, "overdue": overdue}


def judged_clock(clock: dict[str, Any], as_of: datetime, pauses: list[Pause], calendar: WorkingCalendar) -> dict[str, Any]:
    until, elapsed = _elapsed(clock["opened_at"], clock["closed_at"], as_of, pauses, calendar)
    paused = clock["paused_since"] is not None and clock["closed_at"] is None
    statutory = clock["statutory_due_at"]
    return clock | {"elapsed_seconds": elapsed, "sop_overdue": not paused and until > clock["sop_due_at"],
                    "statutory_overdue": None if statutory is None else (not paused and until > statutory)}
