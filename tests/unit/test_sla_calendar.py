"""Working time in Ketapang: standard times run only Mon–Thu 07:30–16:00 and Fri 07:30–16:30, breaks left out.

Default breaks: 12:00–13:00 Monday–Thursday, 11:30–13:00 Friday, so every day has 7.5 working hours.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from shared.working_calendar import AGENCY_ZONE, WorkingCalendar

CALENDAR = WorkingCalendar()
HALF, ONE = Decimal("0.5"), Decimal(1)
# The week of Monday 23 November 2026 (no closed dates in this calendar, none in the real one either).
DAY = {"mon": 23, "tue": 24, "wed": 25, "thu": 26, "fri": 27, "sat": 28, "sun": 29, "next_mon": 30}


def at(day: str, hh_mm: str) -> datetime:
    hour, minute = (int(p) for p in hh_mm.split(":"))
    return datetime(2026, 11, DAY[day], hour, minute, tzinfo=AGENCY_ZONE)


@pytest.mark.parametrize(("start", "hours", "due"), [
    pytest.param(("wed", "10:00"), HALF, ("wed", "10:30"), id="mid-day"),
    pytest.param(("wed", "10:00"), Decimal(7), ("thu", "09:30"), id="mid-day, runs over the break and the night"),
    pytest.param(("mon", "11:45"), HALF, ("mon", "13:15"), id="the lunch break does not count"),
    pytest.param(("mon", "11:30"), HALF, ("mon", "12:00"), id="ends as the break starts: 12:00, not 13:00"),
    pytest.param(("mon", "12:20"), HALF, ("mon", "13:30"), id="inside the break: counts from 13:00"),
    pytest.param(("fri", "11:15"), HALF, ("fri", "13:15"), id="Friday's 90-minute break, 11:30–13:00"),
    pytest.param(("wed", "06:00"), HALF, ("wed", "08:00"), id="before opening: counts from 07:30"),
    pytest.param(("wed", "07:30"), ONE, ("wed", "08:30"), id="at opening"),
    pytest.param(("wed", "17:00"), HALF, ("thu", "08:00"), id="after closing: counts from next opening"),
    pytest.param(("wed", "15:30"), HALF, ("wed", "16:00"), id="ends exactly at closing"),
    pytest.param(("wed", "15:45"), HALF, ("thu", "07:45"), id="crosses closing"),
    pytest.param(("thu", "15:45"), ONE, ("fri", "08:15"), id="Thursday into Friday"),
    pytest.param(("fri", "16:00"), HALF, ("fri", "16:30"), id="Friday closes at 16:30"),
    pytest.param(("fri", "16:15"), HALF, ("next_mon", "07:45"), id="Friday afternoon across the weekend"),
    pytest.param(("sat", "10:00"), HALF, ("next_mon", "08:00"), id="Saturday"),
    pytest.param(("sun", "23:59"), ONE, ("next_mon", "08:30"), id="Sunday night"),
])
def test_hours_count_only_working_time(start, hours, due):
    assert CALENDAR.add(at(*start), hours=hours) == at(*due)


@pytest.mark.parametrize(("start", "days", "due"), [
    pytest.param(("wed", "10:00"), ONE, ("thu", "10:00"), id="mid-day: same time next working day"),
    pytest.param(("fri", "10:00"), ONE, ("next_mon", "10:00"), id="from a Friday: Monday"),
    pytest.param(("thu", "10:00"), ONE, ("fri", "10:00"), id="Thursday to Friday"),
    pytest.param(("fri", "16:15"), ONE, ("next_mon", "15:45"), id="Friday's last quarter: same position Monday"),
    pytest.param(("thu", "11:45"), ONE, ("fri", "13:15"), id="position is working time: Friday's morning is shorter"),
    pytest.param(("mon", "12:30"), ONE, ("tue", "12:00"), id="from the break: where the morning closed"),
    pytest.param(("thu", "16:00"), ONE, ("fri", "16:30"), id="from a closing: the next closing"),
    pytest.param(("wed", "06:00"), ONE, ("wed", "16:00"), id="before opening: that whole day"),
    pytest.param(("wed", "19:00"), ONE, ("thu", "16:00"), id="after closing: the next whole day"),
    pytest.param(("sat", "09:00"), ONE, ("next_mon", "16:00"), id="weekend: the whole Monday"),
    pytest.param(("mon", "10:00"), Decimal(5), ("next_mon", "10:00"), id="five days: a week"),
])
def test_a_hari_is_one_full_working_day(start, days, due):
    assert CALENDAR.add(at(*start), days=days) == at(*due)


def test_days_then_hours_and_fractions_of_a_day():
    assert CALENDAR.add(at("wed", "10:00"), hours=Decimal(7), days=ONE) == at("fri", "09:30")
    assert CALENDAR.add(at("wed", "06:00"), days=HALF) == at("wed", "11:15")  # half of a 7.5 h day


def test_instants_in_any_zone_give_the_same_due_instant():
    start = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)  # 10:00 in Ketapang (UTC+7)
    due = CALENDAR.add(start, hours=HALF)
    assert due == at("wed", "10:30") and due.tzinfo == AGENCY_ZONE
    assert CALENDAR.add(start) == start


def test_closed_dates_do_not_count():
    calendar = WorkingCalendar(closed=frozenset({date(2026, 11, 26)}))
    assert calendar.add(at("wed", "15:45"), hours=HALF) == at("fri", "07:45")
    assert calendar.add(at("wed", "10:00"), days=ONE) == at("fri", "10:00")
    assert not calendar.is_working_day(date(2026, 11, 26)) and calendar.is_working_day(date(2026, 11, 27))


def test_refuses_what_has_no_answer():
    with pytest.raises(ValueError, match="time zone"):
        CALENDAR.add(datetime(2026, 11, 25, 10, 0), hours=HALF)
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.add(at("wed", "10:00"), hours=Decimal(-1))
    with pytest.raises(ValueError, match="no working day"):
        WorkingCalendar(hours={}).add(at("wed", "10:00"), hours=HALF)
