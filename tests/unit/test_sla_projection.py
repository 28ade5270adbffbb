"""The SLA read model: due times from standard times, on-time marks, exactly-once, rebuildable in any order."""
from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta

import pytest

from shared.working_calendar import AGENCY_ZONE
from services.sla.projection import SlaStore
from services.sla.visits import Visit
from shared.contracts import EventMessage, stable_event_id
from shared.events import BY_TYPE, RequestSubmitted
from shared.roles import ActingAs
from shared.sop.loader import SopLibrary
from tests.places import new_place

pytestmark = pytest.mark.usefixtures("each_database")

LIBRARY = SopLibrary.from_directory()
WED = datetime(2026, 11, 25, 10, 0, tzinfo=AGENCY_ZONE)  # Wednesday 10:00 in Ketapang
HOUR = 3600.0


def local(hh_mm: str, days: int = 0) -> datetime:
    hour, minute = (int(p) for p in hh_mm.split(":"))
    return WED.replace(hour=hour, minute=minute) + timedelta(days=days)


class RoutingLog:
    """The messages routing publishes for one case, at the times given."""

    positions = itertools.count(1)

    def __init__(self, sop_id: str):
        self.sop = LIBRARY.latest(sop_id)
        self.case_id, self.version = str(uuid.uuid4()), 0

    def message(self, type_: str, at: datetime, **fields) -> EventMessage:
        self.version += 1
        fields["data"] = fields.get("data", {}) | {"case_version": self.version}
        return BY_TYPE[type_](event_id=stable_event_id("routing", self.case_id, self.version),
                              source="routing", position=next(self.positions), case_id=self.case_id,
                              sop_id=self.sop.id, sop_version=self.sop.version, occurred_at=at, recorded_at=at, **fields)

    def open(self, at: datetime = WED) -> list[EventMessage]:
        return [self.message("CaseOpened", at, data={
            "current_step": 1, "current_role": "pemohon", "register_number": "0001/REG/BAPPEDA/2026", "subject": "s",
            "applicant": {"name": "A", "institution": "I", "phone": "0812345678"}, "form": None}),
                self.complete(1, "submitted", at)]

    def complete(self, step: int, decision: str, at: datetime) -> EventMessage:
        role, following = self.sop.step(step).role, self.sop.step(step).decision(decision).next
        next_role = self.sop.step(following).role if following else None
        return self.message("StepCompleted", at, step=step, decision=decision,
                            actor=ActingAs(id=f"u-{role}", name=role, role=role),
                            data={"next_step": following, "next_role": next_role, "withheld_parts": [],
                                  "command_id": f"c-{self.version}", "draft": None, "attachments": []})

    def close(self, outcome: str, at: datetime) -> EventMessage:
        return self.message("CaseClosed", at, data={"outcome": outcome})

    def pause(self, at: datetime, reason: str = "menunggu kelengkapan dari pemohon") -> EventMessage:
        return self.message("CasePaused", at, data={"reason": reason}, note=reason)

    def resume(self, at: datetime, note: str | None = None) -> EventMessage:
        return self.message("CaseResumed", at, data={"note": note})

    def extend(self, at: datetime, reason: str = "data tersebar di tiga bidang", days: int = 7) -> EventMessage:
        return self.message("DeadlineExtended", at, data={"reason": reason, "extra_working_days": days,
                                                             "basis": "UU 14/2008 pasal 22"})


def sop_c_to_step_6() -> tuple[RoutingLog, list[EventMessage]]:
    log = RoutingLog("sop-c")
    return log, log.open() + [
        log.complete(2, "verified", local("10:20")), log.complete(3, "approved", local("11:30")),
        log.complete(4, "dispositioned", local("12:00")), log.complete(5, "drafted", local("15:45")),
    ]


def applied(messages: list[EventMessage], calendar=None) -> SlaStore:
    fresh = SlaStore(new_place(), LIBRARY, calendar)
    for message in messages:
        assert fresh.apply(message)
    return fresh


def figures(visits: list[Visit]) -> list[tuple]:
    return [(v.step, v.role, v.started_at, v.due_at, v.completed_at, v.on_time) for v in visits]


def test_each_visit_is_due_after_its_standard_time_in_working_time():
    log, messages = sop_c_to_step_6()
    assert figures(applied(messages).visits(case_id=log.case_id)) == [
        (1, "pemohon", WED, local("10:30"), WED, True),
        (2, "petugas_tu", WED, local("10:30"), local("10:20"), True),
        (3, "kepala_badan", local("10:20"), local("10:50"), local("11:30"), False),
        (4, "kabid", local("11:30"), local("13:30"), local("12:00"), True),  # the 12:00-13:00 break does not count
        (5, "sub_koordinator", local("12:00"), local("14:00"), local("15:45"), False),
        (6, "staf_data", local("15:45"), local("15:45", days=1), None, None),  # 1 hari: Thursday 15:45
    ]


def test_a_day_standard_runs_over_the_weekend():
    log = RoutingLog("sop-b")
    friday = WED + timedelta(days=2)
    messages = log.open(friday.replace(hour=8)) + [
        log.complete(2, "registered", friday.replace(hour=8, minute=10)),
        log.complete(4, "with_kabid", friday.replace(hour=9)),
        log.complete(5, "answered", friday.replace(hour=14)),  # step 6 (1 hari) starts Friday 14:00
    ]
    recording = applied(messages).visits(open_only=True)[0]
    # Friday 14:00 is 5 h into Friday's working time; 5 h into Monday is 13:30 (break 12:00-13:00).
    monday = friday + timedelta(days=3)
    assert (recording.step, recording.due_at) == (6, monday.replace(hour=13, minute=30))
    assert recording.standard == "1 hari" and recording.standard_seconds == 7.5 * HOUR
    done = applied(messages + [log.complete(6, "recorded", monday.replace(hour=13))]).visits(case_id=log.case_id)[4]
    assert done.on_time is True and done.working_seconds == 7 * HOUR  # 2.5 h Friday + 4.5 h Monday morning


def test_a_step_redone_is_a_new_visit_and_a_closed_case_has_nothing_open():
    log, messages = sop_c_to_step_6()
    friday = local("08:00", days=2)
    messages += [log.complete(6, "data_prepared", local("09:00", days=1)),
                 log.complete(7, "data_wrong", local("10:00", days=1)),
                 log.complete(6, "data_prepared", friday)]
    messages += [log.complete(step, decision, friday) for step, decision in [
        (7, "verified"), (8, "initialled"), (9, "initialled"), (10, "signed"), (11, "handed_over"), (12, "received")]]
    sla = applied(messages)
    assert sla.apply(log.close("completed", friday))
    assert sla.visits(open_only=True) == []
    rows = sla.visits(case_id=log.case_id)
    assert [r.step for r in rows] == [1, 2, 3, 4, 5, 6, 7, 6, 7, 8, 9, 10, 11, 12]
    second_data_visit = rows[7]
    assert second_data_visit.started_at == local("10:00", days=1)
    assert second_data_visit.due_at == local("10:00", days=2)
    assert second_data_visit.on_time is True and second_data_visit.visit > rows[6].visit
    assert sla.case_clock(log.case_id).closed_at == friday


def test_each_message_is_applied_once():
    log, messages = sop_c_to_step_6()
    sla = applied(messages)
    before = sla.snapshot()
    assert not any(sla.apply(m) for m in messages)
    assert sla.snapshot() == before
    opened = messages[0]
    submitted = RequestSubmitted(**opened.model_dump(exclude={"type", "data", "source"}), source="intake", data={
        "register_number": opened.data.register_number, "subject": "s", "applicant": {}, "form": {}})
    assert sla.apply(submitted)
    assert sla.snapshot() == before  # counted as processed, changes nothing


def test_visits_can_be_chosen_by_start_and_openness():
    log, messages = sop_c_to_step_6()
    sla = applied(messages)
    assert [v.step for v in sla.visits(started_from=local("11:30"))] == [4, 5, 6]
    assert [v.step for v in sla.visits(started_until=local("11:30"))] == [1, 2, 3]  # the end is left out
    assert [v.step for v in sla.visits(open_only=True)] == [6]
    assert sla.visits(case_id="no-such-case") == [] and sla.case_clock("no-such-case") is None
