"""Calendar settings: environment, covered years, Ramadan defaults, and the override file of decrees."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import holidays
import pytest
from pydantic import ValidationError

from shared.working_calendar import AGENCY_ZONE
from shared.calendar_settings import (
    RAMADAN_PERIODS, CalendarError, CalendarSettings, build_calendar, derived_ramadan)

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "calendar-overrides.example.yaml"
AROUND = date(2026, 6, 1)


def settings(**values) -> CalendarSettings:
    return CalendarSettings(_env_file=None, **values)


def overrides(tmp_path: Path, text: str) -> CalendarSettings:
    path = tmp_path / "overrides.yaml"
    path.write_text(text, encoding="utf-8")
    return settings(overrides_file=path)


def test_the_years_covered_come_from_the_date_given_not_the_clock():
    assert build_calendar(settings(), date(2030, 1, 1)).years == (2029, 2030, 2031)
    assert build_calendar(settings(years_around=0), AROUND).years == (2026,)
    assert build_calendar(settings(years=(2027, 2026)), date(2040, 1, 1)).years == (2026, 2027)


def test_settings_come_from_the_environment(monkeypatch):
    saturday = [["08:00", "12:00"]]
    monkeypatch.setenv("SOP_CALENDAR_HOURS", json.dumps({"mon": [["07:30", "16:00"]], "sat": saturday}))
    monkeypatch.setenv("SOP_CALENDAR_HOLIDAY_CATEGORIES", '["public"]')
    calendar = build_calendar(CalendarSettings(_env_file=None), AROUND)
    assert calendar.is_working_day(date(2026, 11, 28)) and not calendar.is_working_day(date(2026, 11, 24))
    assert calendar.is_working_day(date(2026, 12, 28)) and calendar.spans(date(2026, 12, 28))[0][1].hour == 16
    assert date(2026, 12, 24) not in calendar.closed and date(2026, 12, 25) in calendar.closed  # no cuti bersama


def test_default_ramadan_ends_the_day_before_eid_al_fitr():
    eid = {d.year: d for d, name in holidays.country_holidays("ID", years=RAMADAN_PERIODS, language="en_US").items()
           if name.removesuffix(" (estimated)") == "Eid al-Fitr"}
    for year, (first, last) in RAMADAN_PERIODS.items():
        assert last == eid[year] - timedelta(days=1) and first == eid[year] - timedelta(days=30)
    assert derived_ramadan((2025, 2026, 2027)) == list(RAMADAN_PERIODS.values())


def test_a_year_not_in_the_settings_gets_ramadan_from_eid_al_fitr():
    calendar = build_calendar(settings(), date(2029, 1, 1))  # Eid al-Fitr 2028-02-27 (estimated)
    assert [(p.first, p.last) for p in calendar.ramadan][0] == (date(2028, 1, 28), date(2028, 2, 26))
    assert build_calendar(settings(derive_ramadan=False), date(2029, 1, 1)).ramadan == ()


def test_the_override_file_adds_and_removes_closures(tmp_path):
    calendar = build_calendar(overrides(tmp_path, """
add:
  - {date: 2026-11-26, name: Libur daerah, basis: Keputusan Bupati Ketapang No. 1/2026}
  - {date: 2031-01-02, name: Outside the years covered, basis: ignored}
remove:
  - {date: 2026-12-24, basis: SKB revision}
ramadan:
  2026: [2026-02-18, 2026-03-19]
"""), AROUND)
    wednesday = datetime(2026, 11, 25, 15, 45, tzinfo=AGENCY_ZONE)
    assert calendar.add(wednesday, hours=Decimal("0.5")) == datetime(2026, 11, 27, 7, 45, tzinfo=AGENCY_ZONE)
    assert calendar.closed[date(2026, 11, 26)] == "Libur daerah (Keputusan Bupati Ketapang No. 1/2026)"
    assert calendar.is_working_day(date(2026, 12, 24)) and not calendar.is_working_day(date(2026, 12, 25))
    assert date(2031, 1, 2) not in calendar.closed
    assert (date(2026, 2, 18), date(2026, 3, 19)) in [(p.first, p.last) for p in calendar.ramadan]


def test_the_example_file_is_valid():
    calendar = build_calendar(settings(overrides_file=EXAMPLE), AROUND)
    assert date(2026, 12, 31) in calendar.closed and date(2026, 12, 24) not in calendar.closed


@pytest.mark.parametrize(("text", "complaint"), [
    pytest.param("add:\n  - {date: 2026-02-30, name: X, basis: Y}\n", "add[0].date", id="no such date"),
    pytest.param("add:\n  - {date: 2026-12-31, name: X}\n", "add[0].basis: Field required", id="no basis"),
    pytest.param("remove:\n  - {date: 2026-11-25, basis: Y}\n", "remove[0]: 2026-11-25 is not a holiday",
                 id="removes what is not closed"),
    pytest.param("add:\n  - {date: 2026-12-24, name: X, basis: Y}\nremove:\n  - {date: 2026-12-24, basis: Y}\n",
                 "remove[0]: 2026-12-24 is also in add", id="adds and removes one date"),
    pytest.param("holidays:\n  - 2026-12-31\n", "holidays: Extra inputs are not permitted", id="unknown key"),
    pytest.param("ramadan:\n  2026: [2026-02-19, 2026-04-20]\n", "longer than 30 days", id="long Ramadan"),
    pytest.param("add: [\n", "not valid YAML", id="not YAML"),
    pytest.param("- 2026-12-31\n", "valid dictionary", id="a list, not a mapping"),
])
def test_a_bad_override_file_is_refused_with_the_entry_named(tmp_path, text, complaint):
    with pytest.raises(CalendarError, match="overrides.yaml") as refused:
        build_calendar(overrides(tmp_path, text), AROUND)
    assert complaint in str(refused.value)


def test_the_bad_entry_itself_is_quoted(tmp_path):
    with pytest.raises(CalendarError) as refused:
        build_calendar(overrides(tmp_path, "add:\n  - {date: 2026-12-31, name: Ok, basis: Ok}\n"
                                           "  - {date: 31-12-2026, name: Late decree, basis: SKB}\n"), AROUND)
    assert "add[1].date" in str(refused.value) and "Late decree" in str(refused.value)


def test_a_missing_override_file_is_refused(tmp_path):
    with pytest.raises(CalendarError, match="cannot be read"):
        build_calendar(settings(overrides_file=tmp_path / "absent.yaml"), AROUND)


@pytest.mark.parametrize("values", [
    {"zone": "Asia/Ketapang"},
    {"hours": {"mon": [["16:00", "07:30"]]}},
    {"hours": {"mon": [["07:30", "12:00"], ["11:00", "16:00"]]}},
    {"hours": {"monday": [["07:30", "12:00"]]}},
    {"ramadan": {2026: ["2026-03-20", "2026-02-19"]}},
])
def test_bad_settings_are_refused(values):
    with pytest.raises(ValidationError):
        settings(**values)
