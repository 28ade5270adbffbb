"""The statutory deadline is counted once, when routing opens the case, and travels in CaseOpened: the
documents (no calendar, no clock) print it, and it is the SLA service's statutory clock of an unpaused case."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from uuid import uuid4

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

from services.intake.domain import Request
from services.intake.messages import to_message as intake_message
from services.routing.application import Routing
from services.routing.deadline import answer_due_at
from services.routing.domain import Case
from services.sla.derive import case_clock_row
from shared.calendar_settings import CalendarSettings, build_calendar
from shared.clock import FixedClock
from shared.eventstore import store_env
from shared.settings import Settings
from shared.working_calendar import WorkingCalendar
from system.demo import submission
from tests.histories.fixture_files import RECORDED, as_uuid, recorded_events
from tests.unit.test_event_ids import LIBRARY, routing_messages

AT = datetime(2026, 12, 2, 2, 0, tzinfo=timezone.utc)  # Wednesday 2 December 2026, 09:00 WIB


def opened(sop_id: str, calendar: WorkingCalendar | None = None):
    sop = LIBRARY.latest(sop_id)
    form = submission(sop_id, 1)
    del form["sop_id"]
    request = Request(request_id=uuid4(), sop_id=sop.id, sop_version=sop.version, start_step=sop.start,
                      register_number="0001/REG/BAPPEDA/2026", form=form,
                      submitted_by={"id": "portal", "name": "Portal Layanan", "role": "pemohon"},
                      occurred_at=AT, recorded_at=AT, tracking_code="ABCD-EFGH")
    routing = Routing(LIBRARY, FixedClock(AT), env=store_env(Settings(persistence="memory"), "routing"),
                      calendar_for=(lambda _day: calendar) if calendar else None)
    (event,) = request.collect_events()
    assert routing.handle_message(intake_message(event, position=1))
    return routing_messages(routing)[0]


def test_an_information_request_opens_with_its_answer_due_ten_working_days_on():
    message = opened("sop-c", WorkingCalendar())
    # 3-4, 7-11, 14-16 December: ten working days, the weekends left out; due at the same working hour
    assert message.data.answer_due_at == datetime(2026, 12, 16, 2, 0, tzinfo=timezone.utc)


def test_a_holiday_moves_the_due_date_on_by_a_working_day():
    message = opened("sop-c", WorkingCalendar(closed={date(2026, 12, 10): "cuti"}))
    assert message.data.answer_due_at.astimezone(timezone.utc).date() == date(2026, 12, 17)


def test_a_service_without_a_statutory_clock_has_no_answer_due():
    assert opened("sop-a").data.answer_due_at is None


def test_it_is_the_sla_services_statutory_due_of_an_unpaused_case():
    calendar = build_calendar(CalendarSettings(), around=AT.date())
    sop = LIBRARY.latest("sop-c")
    sla = case_clock_row(calendar, sop, "c", AT.isoformat(), None, (), ())
    assert answer_due_at(sop, AT, lambda _day: calendar).isoformat() == sla["statutory_due_at"]
    assert opened("sop-c").data.answer_due_at.isoformat() == sla["statutory_due_at"]  # the calendar from settings


def test_a_v2_case_opened_reads_back_without_an_answer_due():
    row = next(r for r in recorded_events(RECORDED / "full-run", "routing")
               if r["topic"] == "services.routing.domain:Case.Opened")
    assert json.loads(row["state"])["class_version"] == 2
    event = Application().mapper.to_domain_event(StoredEvent(
        originator_id=as_uuid(row["originator_id"]), originator_version=row["version"], topic=row["topic"],
        state=row["state"].encode()))
    assert isinstance(event, Case.Opened) and event.answer_due_at is None
    assert event.register_number == json.loads(row["state"])["register_number"]
