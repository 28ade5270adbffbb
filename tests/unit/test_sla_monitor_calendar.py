"""Recording calendar changes: once per change, described, and every figure derived again."""
from __future__ import annotations

from services.sla.application import Sla
from shared.working_calendar import WorkingCalendar
from services.sla.sla_settings import SlaSettings
from shared.eventstore import store_env
from shared.settings import Settings
from tests.unit.test_sla_monitor import published
from tests.unit.test_sla_projection import applied, local
from tests.unit.test_sla_projection_recompute import WITH_HOLIDAY, closed_data_visit, data_visit

NOW = local("08:00", days=7)


def test_a_late_holiday_is_recorded_once_and_recomputes_a_closed_visit():
    case_id, messages = closed_data_visit()
    sla = Sla(applied(messages), SlaSettings(), env=store_env(Settings(persistence="memory"), "sla"))
    assert sla.record_calendar(WorkingCalendar(), NOW) is True  # the first one is recorded as such
    assert sla.record_calendar(WorkingCalendar(), NOW) is False
    assert data_visit(sla.store, case_id).on_time is False

    assert sla.record_calendar(WITH_HOLIDAY, NOW) is True
    assert sla.record_calendar(WITH_HOLIDAY, NOW) is False  # the same calendar again: nothing new
    assert data_visit(sla.store, case_id).on_time is True
    assert sla.store.snapshot() == applied(messages, WITH_HOLIDAY).snapshot()

    first, change = published(sla)
    assert (first.type, change.type) == ("CalendarChanged", "CalendarChanged")
    assert first.data.changes[0].startswith("first calendar recorded")
    assert change.data.changes == ["2026-11-26 (Thursday) closed: cuti bersama (decreed late)"]
    assert change.data.digest == WITH_HOLIDAY.digest()
    assert change.data.previous_digest == WorkingCalendar().digest()
    assert (change.case_id, change.sop_id, change.occurred_at) == ("", "", NOW)  # belongs to no case


def test_after_a_restart_the_change_is_described_against_the_calendar_recorded_before(tmp_path):
    env = store_env(Settings(data_dir=tmp_path), "sla")  # an SQLite file that outlives the process
    case_id, messages = closed_data_visit()
    Sla(applied(messages), SlaSettings(), env=env).record_calendar(WITH_HOLIDAY, NOW)
    restarted = Sla(applied(messages, WITH_HOLIDAY), SlaSettings(), env=env)
    assert restarted.record_calendar(WorkingCalendar(), NOW) is True  # the holiday revoked again
    assert published(restarted)[-1].data.changes == [
        "2026-11-26 (Thursday) no longer closed (was cuti bersama (decreed late))"]
    assert data_visit(restarted.store, case_id).on_time is False
