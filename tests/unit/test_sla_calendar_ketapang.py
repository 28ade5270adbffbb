"""The calendar built from the default settings: holidays, cuti bersama, Friday afternoons, Ramadan hours.

Every instant is explicit; `around` stands in for today, so nothing reads the wall clock.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from shared.working_calendar import AGENCY_ZONE
from shared.calendar_settings import CalendarSettings, build_calendar

KETAPANG = build_calendar(CalendarSettings(_env_file=None), around=date(2026, 6, 1))
HALF, ONE = Decimal("0.5"), Decimal(1)


def at(day: str, hh_mm: str = "00:00") -> datetime:
    hour, minute = (int(p) for p in hh_mm.split(":"))
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), AGENCY_ZONE).replace(hour=hour, minute=minute)


@pytest.mark.parametrize(("start", "hours", "due"), [
    pytest.param(("2026-10-02", "16:00"), ONE, ("2026-10-05", "08:00"), id="Friday 16:00 across the weekend"),
    pytest.param(("2026-11-27", "15:45"), ONE, ("2026-11-30", "07:45"), id="Friday 15:45: 45 min left, closes 16:30"),
    pytest.param(("2026-11-27", "15:45"), Decimal("1.5"), ("2026-11-30", "08:15"), id="Friday 15:45 + 1,5 jam"),
    pytest.param(("2026-08-14", "16:00"), ONE, ("2026-08-18", "08:00"), id="weekend then Independence Day"),
    pytest.param(("2026-12-23", "15:30"), ONE, ("2026-12-28", "08:00"), id="cuti bersama, Christmas, weekend"),
    pytest.param(("2026-08-17", "10:00"), HALF, ("2026-08-18", "08:00"), id="started on a holiday"),
])
def test_hours_skip_weekends_holidays_and_cuti_bersama(start, hours, due):
    assert KETAPANG.add(at(*start), hours=hours) == at(*due)


def test_a_hari_skips_them_too():
    assert KETAPANG.add(at("2026-08-14", "10:00"), days=ONE) == at("2026-08-18", "10:00")
    assert KETAPANG.add(at("2026-12-23", "10:00"), days=ONE) == at("2026-12-28", "10:00")


def test_holidays_and_cuti_bersama_are_named():
    closures = KETAPANG.closures(2026)
    assert closures[date(2026, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"
    assert "Cuti Bersama" in closures[date(2026, 12, 24)]  # government category: the SKB's collective leave
    assert not KETAPANG.is_working_day(date(2026, 12, 24)) and KETAPANG.is_working_day(date(2026, 12, 23))
    assert set(KETAPANG.years) == {2025, 2026, 2027} and all(KETAPANG.closures(y) for y in KETAPANG.years)


@pytest.mark.parametrize(("start", "hours", "due"), [
    pytest.param(("2026-02-25", "14:30"), ONE, ("2026-02-26", "08:30"), id="closes 15:00, opens 08:00"),
    pytest.param(("2026-02-25", "11:45"), HALF, ("2026-02-25", "12:45"), id="30-minute break 12:00–12:30"),
    pytest.param(("2026-02-27", "11:15"), HALF, ("2026-02-27", "12:45"), id="Friday: 60-minute break 11:30–12:30"),
    pytest.param(("2026-02-27", "15:00"), ONE, ("2026-03-02", "08:30"), id="Friday closes 15:30"),
    pytest.param(("2026-02-18", "15:30"), ONE, ("2026-02-19", "08:30"), id="into the first day of Ramadan"),
    pytest.param(("2026-03-17", "14:30"), ONE, ("2026-03-25", "08:00"), id="Nyepi, Idul Fitri, back to 07:30"),
])
def test_ramadan_has_its_own_hours(start, hours, due):
    assert KETAPANG.add(at(*start), hours=hours) == at(*due)


def test_a_hari_into_a_shorter_ramadan_day_ends_at_its_closing():
    assert KETAPANG.add(at("2026-02-18", "15:30"), days=ONE) == at("2026-02-19", "15:00")  # 7 h in; 6.5 h day
    assert KETAPANG.add(at("2026-02-25", "10:00"), days=ONE) == at("2026-02-26", "10:00")


def test_working_seconds_between_two_instants():
    hour = 3600.0
    assert KETAPANG.working_seconds(at("2026-08-14", "15:30"), at("2026-08-18", "08:30")) == 2 * hour
    assert KETAPANG.working_seconds(at("2026-11-23", "11:00"), at("2026-11-23", "14:00")) == 2 * hour  # break
    assert KETAPANG.working_seconds(at("2026-11-23"), at("2026-11-30")) == 37.5 * hour  # a normal week
    assert KETAPANG.working_seconds(at("2026-02-23"), at("2026-03-02")) == 32.5 * hour  # a Ramadan week
    assert KETAPANG.working_seconds(at("2026-12-21"), at("2026-12-28")) == 22.5 * hour  # Thu, Fri closed
    assert KETAPANG.working_seconds(at("2026-11-23", "14:00"), at("2026-11-23", "11:00")) == 0
    in_utc = at("2026-11-23", "11:00").astimezone(timezone.utc)  # 04:00 UTC
    assert KETAPANG.working_seconds(in_utc, at("2026-11-23", "14:00")) == 2 * hour


@pytest.mark.parametrize("start", ["2026-08-14 15:30", "2026-12-23 11:50", "2026-02-27 11:20", "2026-11-29 09:00"])
@pytest.mark.parametrize("hours", ["0.25", "1", "4.5", "7.5", "16"])
def test_working_seconds_measures_what_add_adds(start, hours):
    begin = datetime.fromisoformat(start).replace(tzinfo=AGENCY_ZONE)
    due = KETAPANG.add(begin, hours=Decimal(hours))
    assert KETAPANG.working_seconds(begin, due) == float(hours) * 3600
    assert KETAPANG.working_seconds(begin, due - timedelta(seconds=1)) < float(hours) * 3600  # the earliest instant
