"""A calendar change (a holiday decreed late) rederives every figure, of closed cases too, deterministically."""
from __future__ import annotations

import pytest

from shared.working_calendar import WorkingCalendar
from services.sla.projection import SlaStore
from tests.unit.test_sla_projection import LIBRARY, applied, local, sop_c_to_step_6
from tests.places import new_place

pytestmark = pytest.mark.usefixtures("each_database")

THURSDAY = local("00:00", days=1).date()
WITH_HOLIDAY = WorkingCalendar(closed={THURSDAY: "cuti bersama (decreed late)"})


def closed_data_visit() -> tuple[str, list]:
    """Step 6 (1 hari) from Wednesday 15:45, completed Friday 09:00: late, unless Thursday is closed."""
    log, messages = sop_c_to_step_6()
    return log.case_id, messages + [log.complete(6, "data_prepared", local("09:00", days=2))]


def data_visit(sla: SlaStore, case_id: str):
    return next(v for v in sla.visits(case_id=case_id) if v.step == 6)


def test_a_holiday_added_on_a_day_a_closed_visit_spanned_moves_its_due_time_and_verdict():
    case_id, messages = closed_data_visit()
    sla = applied(messages)
    before = data_visit(sla, case_id)
    assert (before.due_at, before.on_time) == (local("15:45", days=1), False)
    sop_due_before = sla.case_clock(case_id).sop_due_at

    sla.recompute(WITH_HOLIDAY)
    after = data_visit(sla, case_id)
    # 1 hari leads to the same working-time position (7¼ h in) on the next working day: Friday, whose
    # longer break (11:30-13:00) puts that at 16:15.
    assert (after.due_at, after.on_time) == (local("16:15", days=2), True)
    assert after.completed_at == before.completed_at and after.started_at == before.started_at  # facts stay
    assert sla.case_clock(case_id).sop_due_at > sop_due_before  # the case clocks move too


def test_a_recompute_equals_a_rebuild_with_that_calendar_and_repeats_exactly():
    case_id, messages = closed_data_visit()
    sla = applied(messages)
    sla.recompute(WITH_HOLIDAY)
    assert sla.snapshot() == applied(messages, WITH_HOLIDAY).snapshot()
    once = sla.snapshot()
    sla.recompute(WITH_HOLIDAY)
    assert sla.snapshot() == once
    sla.recompute(WorkingCalendar())  # and back: the first figures again
    assert sla.snapshot() == applied(messages).snapshot()


def test_a_stored_read_model_opened_with_another_calendar_rederives_itself(tmp_path):
    case_id, messages = closed_data_visit()
    path = new_place()
    path = tmp_path / "sla-views.db" if path == ":memory:" else path  # reopened: in memory it would be gone
    first = SlaStore(path, LIBRARY, WorkingCalendar())
    for message in messages:
        first.apply(message)
    first.db.close()
    reopened = SlaStore(path, LIBRARY, WITH_HOLIDAY)  # e.g. restarted after the override file changed
    assert data_visit(reopened, case_id).on_time is True
    assert reopened.snapshot() == applied(messages, WITH_HOLIDAY).snapshot()
