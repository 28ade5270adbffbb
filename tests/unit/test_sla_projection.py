"""The SLA read model: due times from standard times, on-time marks, exactly-once, rebuildable."""
from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta

import pytest

from services.sla.calendar import AGENCY_ZONE
from services.sla.projection import SlaStore, utc
from shared.contracts import EventMessage, stable_event_id
from shared.roles import ActingAs
from shared.sop.loader import SopLibrary

LIBRARY = SopLibrary.from_directory()
WED = datetime(2026, 11, 25, 10, 0, tzinfo=AGENCY_ZONE)  # Wednesday 10:00 in Ketapang


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
        return EventMessage(event_id=stable_event_id(self.case_id, self.version), type=type_, source="routing",
                            position=next(self.positions), case_id=self.case_id, sop_id=self.sop.id,
                            sop_version=self.sop.version, occurred_at=at, recorded_at=at, **fields)

    def open(self, at: datetime = WED) -> list[EventMessage]:
        opened = self.message("CaseOpened", at, data={"current_step": 1, "current_role": "pemohon"})
        return [opened, self.complete(1, "submitted", at)]

    def complete(self, step: int, decision: str, at: datetime) -> EventMessage:
        role, following = self.sop.step(step).role, self.sop.step(step).decision(decision).next
        return self.message("StepCompleted", at, step=step, decision=decision,
                            actor=ActingAs(id=f"u-{role}", name=role, role=role), data={"next_step": following})

    def close(self, outcome: str, at: datetime) -> EventMessage:
        return self.message("CaseClosed", at, data={"outcome": outcome})


def sop_c_to_step_6() -> tuple[RoutingLog, list[EventMessage]]:
    log = RoutingLog("sop-c")
    return log, log.open() + [
        log.complete(2, "verified", local("10:20")), log.complete(3, "approved", local("11:30")),
        log.complete(4, "dispositioned", local("12:00")), log.complete(5, "drafted", local("15:45")),
    ]


def store() -> SlaStore:
    return SlaStore(":memory:", LIBRARY)


def applied(messages: list[EventMessage]) -> SlaStore:
    fresh = store()
    for message in messages:
        assert fresh.apply(message)
    return fresh


def visits(rows: list[dict]) -> list[tuple]:
    return [(r["step"], r["role"], r["started_at"], r["due_at"], r["completed_at"], r["on_time"]) for r in rows]


def test_each_visit_is_due_after_its_standard_time_in_working_time():
    log, messages = sop_c_to_step_6()
    assert visits(applied(messages).case(log.case_id)) == [
        (1, "pemohon", utc(WED), utc(local("10:30")), utc(WED), True),
        (2, "petugas_tu", utc(WED), utc(local("10:30")), utc(local("10:20")), True),
        (3, "kepala_badan", utc(local("10:20")), utc(local("10:50")), utc(local("11:30")), False),
        (4, "kabid", utc(local("11:30")), utc(local("13:30")), utc(local("12:00")), True),
        (5, "sub_koordinator", utc(local("12:00")), utc(local("14:00")), utc(local("15:45")), False),
        (6, "staf_data", utc(local("15:45")), utc(local("15:45", days=1)), None, None),  # 1 hari: Thursday 15:45
    ]


def test_a_step_redone_is_a_new_visit_and_a_closed_case_has_nothing_open():
    log, messages = sop_c_to_step_6()
    friday = local("08:00", days=2)
    messages += [log.complete(6, "data_prepared", local("09:00", days=1)),
                 log.complete(7, "data_wrong", local("10:00", days=1)),
                 log.complete(6, "data_prepared", friday)]
    messages += [log.complete(step, decision, friday) for step, decision in [
        (7, "verified"), (8, "initialled"), (9, "initialled"), (10, "signed"), (11, "handed_over"), (12, "received")]]
    sla = applied(messages)
    before_close = sla.snapshot()
    assert sla.apply(log.close("completed", friday))
    assert sla.snapshot() == before_close and sla.open_steps() == []
    rows = sla.case(log.case_id)
    assert [r["step"] for r in rows] == [1, 2, 3, 4, 5, 6, 7, 6, 7, 8, 9, 10, 11, 12]
    second_data_visit = rows[7]
    assert second_data_visit["started_at"] == utc(local("10:00", days=1))
    assert second_data_visit["due_at"] == utc(local("10:00", days=2))
    assert second_data_visit["on_time"] is True


def test_each_message_is_applied_once():
    log, messages = sop_c_to_step_6()
    sla = applied(messages)
    before = sla.snapshot()
    assert not any(sla.apply(m) for m in messages)
    assert sla.snapshot() == before
    assert sla.apply(messages[0].model_copy(update={"source": "intake", "type": "RequestSubmitted"}))
    assert sla.snapshot() == before  # counted as processed, changes nothing


def test_a_rebuild_gives_identical_rows_in_the_same_order_or_any_other():
    first, messages = sop_c_to_step_6()
    second = RoutingLog("sop-a")
    messages += second.open(local("17:00")) + [second.complete(2, "registered", local("08:10", days=1))]
    live = applied(messages)
    assert applied(messages).snapshot() == live.snapshot()
    assert applied(list(reversed(messages))).snapshot() == live.snapshot()  # a late delivery lands right
    after_hours = live.case(second.case_id)[1]
    assert after_hours["due_at"] == utc(local("08:00", days=1)) and after_hours["on_time"] is False


def test_a_completion_that_contradicts_the_open_step_changes_nothing():
    log, messages = sop_c_to_step_6()
    sla = applied(messages[:3])
    wrong = log.complete(9, "initialled", local("10:30"))
    before = sla.snapshot()
    for _ in range(2):  # rolled back with its mark, so a retry meets the same refusal
        with pytest.raises(ValueError, match="step 9 completed while step 3 was open"):
            sla.apply(wrong)
    assert sla.snapshot() == before
