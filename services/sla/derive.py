"""From a case's stored facts to the figures the SLA read model keeps: one visit's, one case's clocks.

Times travel as text in one form (UTC ISO 8601), so derived rows compare and replay byte for byte.
"""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from shared.working_calendar import WorkingCalendar
from services.sla.clocks import Pause, before, due, paused_since, sop_total, standard_seconds, used_seconds
from shared.sop.schema import SopDefinition, WorkingTime


def utc(at: datetime) -> str:
    """One text form for every instant, so stored times compare and replay byte for byte."""
    return at.astimezone(timezone.utc).isoformat()


def _at(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def visit_row(calendar: WorkingCalendar, standard: WorkingTime, started_at: str, completed_at: str | None,
              pauses: tuple[Pause, ...]) -> dict[str, Any]:
    """Due time, working time used and timeliness of one visit of a step. Arguments are hashable, so
    the store can remember results; callers must not change the dict returned."""
    start, end = datetime.fromisoformat(started_at), _at(completed_at)
    relevant = before(pauses, end)  # a completed visit's clock stopped at its completion
    due_at = due(calendar, start, relevant, standard.hours, standard.days)
    return {
        "standard": standard.label(),
        "standard_seconds": standard_seconds(calendar, start, standard),
        "due_at": utc(due_at),
        "completed_at": completed_at,
        "working_seconds": used_seconds(calendar, start, end, relevant) if end else None,
        "on_time": end <= due_at if end else None,
    }


def case_clock_row(calendar: WorkingCalendar, sop: SopDefinition, case_id: str, opened_at: str,
                   closing: tuple[str, str | None] | None, extensions: tuple[int | None, ...],
                   pauses: tuple[Pause, ...]) -> dict[str, Any]:
    """The SOP-total and statutory clocks of a case; `closing` is its CaseClosed (closed_at, outcome) or
    None, `extensions` the extra working days of each DeadlineExtended in log order."""
    start, end = datetime.fromisoformat(opened_at), _at(closing[0]) if closing else None
    relevant = before(pauses, end)
    total = sop_total(sop)
    sop_due = due(calendar, start, relevant, total.hours, total.days)
    statutory = getattr(sop, "statutory_clock", None)
    # UU 14/2008 allows one extension: the first counts (with the days it names, else the SOP's);
    # any later one, or one on an SOP without the clock, is kept as a count, never as more time.
    counted = extensions[:1] if statutory else []
    statutory_due = None
    if statutory:
        extra = (counted[0] or statutory.extension_working_days) if counted else 0
        statutory_due = due(calendar, start, relevant, days=Decimal(statutory.working_days + extra))
    return {
        "case_id": case_id, "sop_id": sop.id, "sop_version": sop.version, "opened_at": opened_at,
        "sop_standard": total.label(), "sop_due_at": utc(sop_due),
        "statutory_basis": statutory.basis if statutory else None,
        "statutory_due_at": utc(statutory_due) if statutory_due else None,
        "extended": bool(counted), "extensions_ignored": len(extensions) - len(counted),
        "paused_since": utc(since) if (since := paused_since(relevant)) else None,
        "closed_at": closing[0] if closing else None, "outcome": closing[1] if closing else None,
        "sop_on_time": end <= sop_due if end else None,
        "statutory_on_time": end <= statutory_due if end and statutory_due else None,
    }
