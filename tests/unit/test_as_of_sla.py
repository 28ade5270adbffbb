"""The SLA clocks of a case as they stood at an instant: folded from the events recorded by then and
judged at that instant (working time used by then, past due or not), with the calendar in force then."""
from __future__ import annotations

from datetime import timedelta

from services.sla.as_of import case_sla_as_of
from shared.working_calendar import WorkingCalendar
from tests.unit.test_sla_projection import HOUR, LIBRARY, WED, applied, local, sop_c_to_step_6

CALENDAR = WorkingCalendar()


def visits_at(messages, case_id, at):
    found = case_sla_as_of(case_id, at, messages, LIBRARY, CALENDAR)
    return found, {v["step"]: v for v in found["visits"]}


def test_the_open_step_is_judged_at_the_instant_asked():
    log, messages = sop_c_to_step_6()
    # 11:00: step 3 (the Kepala Badan, 0,5 jam from 10:20) is open and 10 minutes past due
    found, visits = visits_at(messages, log.case_id, local("11:00"))
    assert sorted(visits) == [1, 2, 3] and visits[3]["completed_at"] is None
    assert visits[3]["elapsed_seconds"] == 40 * 60 and visits[3]["overdue"] is True
    assert visits[2]["overdue"] is False and visits[2]["elapsed_seconds"] == 20 * 60
    assert found["clock"]["closed_at"] is None and found["clock"]["elapsed_seconds"] == HOUR
    # 10:40: the same step, 20 minutes in, not yet due
    _, visits = visits_at(messages, log.case_id, local("10:40"))
    assert visits[3]["elapsed_seconds"] == 20 * 60 and visits[3]["overdue"] is False


def test_a_step_completed_by_then_keeps_its_own_figures():
    log, messages = sop_c_to_step_6()
    _, visits = visits_at(messages, log.case_id, local("16:00"))
    assert visits[5]["completed_at"] == local("15:45") and visits[5]["on_time"] is False and visits[5]["overdue"]
    assert visits[4]["overdue"] is False and visits[4]["elapsed_seconds"] == 30 * 60
    assert visits[6]["elapsed_seconds"] == 15 * 60 and not visits[6]["overdue"]  # 1 hari: due Thursday


def test_as_of_the_last_event_the_figures_are_the_live_ones():
    log, messages = sop_c_to_step_6()
    live = applied(messages).visits(case_id=log.case_id)
    _, visits = visits_at(messages, log.case_id, messages[-1].recorded_at)
    for v in live:
        assert {k: visits[v.step][k] for k in ("started_at", "due_at", "completed_at", "on_time")} == {
            "started_at": v.started_at, "due_at": v.due_at, "completed_at": v.completed_at, "on_time": v.on_time}


def test_a_paused_case_stands_still_and_is_not_overdue():
    log, messages = sop_c_to_step_6()
    paused = messages + [log.pause(local("16:00"))]
    _, visits = visits_at(paused, log.case_id, local("16:00", days=3))
    assert visits[6]["elapsed_seconds"] == 15 * 60 and visits[6]["overdue"] is False


def test_before_the_case_was_opened_there_are_no_figures():
    log, messages = sop_c_to_step_6()
    assert case_sla_as_of(log.case_id, WED - timedelta(seconds=1), messages, LIBRARY, CALENDAR) is None
