"""What the SLA service itself decides and records: alerts on a case's steps, and changes of its calendar."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate, event

from shared.working_calendar import RamadanPeriod, WorkingCalendar
from services.sla.visits import Visit
from shared.agency import agency

AGENCY_ZONE = agency().tz
def role_title(role: str) -> str:
    """The role as a person reads it (shared/sop/agency.yaml), never its id."""
    return agency().roles.get(role, role)


AGENCY_ZONE_NAME = "WIB" if str(AGENCY_ZONE) in ("Asia/Jakarta", "Asia/Pontianak") else str(AGENCY_ZONE)

SLA_NAMESPACE = uuid5(NAMESPACE_URL, "sop-sla")
CALENDAR_HISTORY_ID = uuid5(SLA_NAMESPACE, "working-calendar")


def alerts_id(case_id: str) -> UUID:
    return uuid5(SLA_NAMESPACE, f"case-alerts:{case_id}")


def _visit_facts(visit: Visit) -> dict[str, Any]:
    return {"case_id": visit.case_id, "sop_id": visit.sop_id, "sop_version": visit.sop_version, "step": visit.step,
            "role": visit.role, "visit": visit.visit, "due_at": visit.due_at}


class CaseAlerts(Aggregate):
    """The alerts of one case: at most one StepAtRisk and one StepBreached (with its escalation) per visit."""

    @staticmethod
    def create_id(case_id: str, **_: Any) -> UUID:
        return alerts_id(case_id)

    @event("Started")
    def __init__(self, case_id: str, sop_id: str, sop_version: int):
        self.case_id = case_id
        self.raised: set[tuple[int, str]] = set()  # (visit, "at_risk" | "breached")

    # Each returns how many events it recorded: 0 when this visit already has that alert.
    def at_risk(self, visit: Visit, *, at: datetime, used_fraction: float, detected_at: datetime) -> int:
        if (visit.visit, "at_risk") in self.raised:
            return 0
        self._at_risk(**_visit_facts(visit), used_fraction=used_fraction, at=at, detected_at=detected_at)
        return 1

    def breached(self, visit: Visit, *, at: datetime, to_role: str | None, detected_at: datetime) -> int:
        if (visit.visit, "breached") in self.raised:
            return 0
        self._breached(**_visit_facts(visit), used_fraction=1.0, at=at, detected_at=detected_at)
        if to_role:  # the Kepala Badan has nobody above: the breach stands, escalated to no one
            due = visit.due_at.astimezone(AGENCY_ZONE)  # a person reads it: Indonesian, in the agency's zone
            reason = (f"Langkah {visit.step} ({role_title(visit.role)}) melewati waktu standar {visit.standard}; "
                      f"batas waktu {due:%d/%m/%Y pukul %H.%M} {AGENCY_ZONE_NAME}; diteruskan kepada {role_title(to_role)}")
            self._escalated(case_id=visit.case_id, sop_id=visit.sop_id, sop_version=visit.sop_version,
                            step=visit.step, visit=visit.visit, from_role=visit.role, to_role=to_role,
                            reason=reason, at=at, detected_at=detected_at)
        return 1 + bool(to_role)

    # `at` is the instant the threshold was crossed (from the calendar); `detected_at` the tick that saw it.
    @event("StepAtRisk")
    def _at_risk(self, case_id: str, sop_id: str, sop_version: int, step: int, role: str, visit: int,
                 due_at: datetime, used_fraction: float, at: datetime, detected_at: datetime) -> None:
        self.raised.add((visit, "at_risk"))

    @event("StepBreached")
    def _breached(self, case_id: str, sop_id: str, sop_version: int, step: int, role: str, visit: int,
                  due_at: datetime, used_fraction: float, at: datetime, detected_at: datetime) -> None:
        self.raised.add((visit, "breached"))

    @event("EscalationRaised")
    def _escalated(self, case_id: str, sop_id: str, sop_version: int, step: int, visit: int, from_role: str,
                   to_role: str, reason: str, at: datetime, detected_at: datetime) -> None:
        pass


class CalendarHistory(Aggregate):
    """The one record of the working calendars the SLA figures were derived with."""

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return CALENDAR_HISTORY_ID

    @event("Started")
    def __init__(self) -> None:
        self.digest: str | None = None
        self.content: dict[str, Any] | None = None

    def record(self, calendar: WorkingCalendar, at: datetime) -> bool:
        """Records a CalendarChanged when `calendar` differs from the last one recorded."""
        if calendar.digest() == self.digest:
            return False
        previous = calendar_from(self.content) if self.content else None
        changes = previous.describe_changes(calendar) if previous else [
            f"first calendar recorded: {len(calendar.closed)} closed days, years {list(calendar.years)}"]
        # The content travels with the fact, so the next change can be described after a restart.
        self._changed(digest=calendar.digest(), previous_digest=self.digest, changes=changes,
                      content=calendar_content(calendar), at=at)
        return True

    @event("CalendarChanged")
    def _changed(self, digest: str, previous_digest: str | None, changes: list[str], content: dict[str, Any],
                 at: datetime) -> None:
        self.digest, self.content = digest, content


def _hours_content(hours: Any) -> dict[str, list[list[str]]]:
    return {str(day): [[o.isoformat(), c.isoformat()] for o, c in spans] for day, spans in hours.items()}


def _hours_from(content: dict[str, list[list[str]]]) -> dict[int, list[tuple[time, time]]]:
    return {int(day): [(time.fromisoformat(o), time.fromisoformat(c)) for o, c in spans]
            for day, spans in content.items()}


def calendar_content(calendar: WorkingCalendar) -> dict[str, Any]:
    """Everything that decides working time (and the closed days' names), as JSON-ready data."""
    return {"zone": calendar.zone.key, "years": list(calendar.years), "hours": _hours_content(calendar.hours),
            "ramadan": [{"first": p.first.isoformat(), "last": p.last.isoformat(), "hours": _hours_content(p.hours)}
                        for p in calendar.ramadan],
            "closed": {day.isoformat(): name for day, name in calendar.closed.items()}}


def calendar_from(content: dict[str, Any]) -> WorkingCalendar:
    return WorkingCalendar(
        zone=ZoneInfo(content["zone"]), hours=_hours_from(content["hours"]), years=tuple(content["years"]),
        ramadan=tuple(RamadanPeriod(date.fromisoformat(p["first"]), date.fromisoformat(p["last"]),
                                    _hours_from(p["hours"])) for p in content["ramadan"]),
        closed={date.fromisoformat(day): name for day, name in content["closed"].items()})
