"""A calendar's digest and its changes in words: a holiday decreed late must be noticed."""
from __future__ import annotations

from datetime import date, time

import pytest

from shared.working_calendar import CIVIL_SERVICE_HOURS, RAMADAN_HOURS, RamadanPeriod, WorkingCalendar
from shared.calendar_settings import CalendarSettings, build_calendar

AROUND = date(2026, 6, 1)
BASE = WorkingCalendar(closed={date(2026, 8, 17): "Hari Kemerdekaan"}, years=(2026,))


def built(tmp_path=None, text: str | None = None):
    values = {}
    if text is not None:
        (tmp_path / "o.yaml").write_text(text, encoding="utf-8")
        values["overrides_file"] = tmp_path / "o.yaml"
    return build_calendar(CalendarSettings(_env_file=None, **values), AROUND)


def test_the_digest_is_stable():
    assert built().digest() == built().digest() == build_calendar(CalendarSettings(_env_file=None),
                                                                  date(2026, 12, 31)).digest()
    assert WorkingCalendar().digest() == WorkingCalendar(hours=dict(CIVIL_SERVICE_HOURS)).digest()
    # Pinned: stored digests are compared across releases, so its recipe must not drift by accident.
    assert WorkingCalendar().digest() == "3ab11e30867b744394e3f5457142cadfae88070ad3dace0286f134a80f24e4dd"


def test_a_holiday_added_late_changes_the_digest_and_is_described(tmp_path):
    before = built()
    after = built(tmp_path, "add:\n  - {date: 2026-11-26, name: Libur daerah, basis: Keputusan Bupati}\n")
    assert after.digest() != before.digest()
    assert before.describe_changes(after) == ["2026-11-26 (Thursday) closed: Libur daerah (Keputusan Bupati)"]
    assert after.describe_changes(before) == [
        "2026-11-26 (Thursday) no longer closed (was Libur daerah (Keputusan Bupati))"]
    assert before.describe_changes(before) == []


@pytest.mark.parametrize(("changed", "described"), [
    pytest.param(WorkingCalendar(closed={date(2026, 8, 17): "Independence Day"}, years=(2026,)),
                 "2026-08-17 (Monday) renamed: Hari Kemerdekaan -> Independence Day", id="renamed"),
    pytest.param(WorkingCalendar(hours={**CIVIL_SERVICE_HOURS, 4: ((time(7, 30), time(11, 30)),)},
                                 closed=BASE.closed, years=(2026,)),
                 "Friday hours 07:30–11:30, 13:00–16:30 -> 07:30–11:30", id="hours"),
    pytest.param(WorkingCalendar(closed=BASE.closed, years=(2026, 2027)),
                 "years covered 2026 -> 2026, 2027", id="years"),
    pytest.param(WorkingCalendar(closed=BASE.closed, years=(2026,),
                                 ramadan=(RamadanPeriod(date(2026, 2, 19), date(2026, 3, 20)),)),
                 "Ramadan 2026-02-19..2026-03-20 added", id="Ramadan"),
])
def test_each_kind_of_change_is_described(changed, described):
    assert BASE.describe_changes(changed) == [described]
    assert (changed.digest() == BASE.digest()) == (described.endswith("Independence Day"))  # names: no digest


def test_ramadan_hours_changed_are_described():
    period = RamadanPeriod(date(2026, 2, 19), date(2026, 3, 20))
    shorter = RamadanPeriod(period.first, period.last, {**RAMADAN_HOURS, 0: ((time(8), time(14)),)})
    before, after = WorkingCalendar(ramadan=(period,)), WorkingCalendar(ramadan=(shorter,))
    assert before.describe_changes(after) == [
        "Ramadan 2026-02-19..2026-03-20: Monday hours 08:00–12:00, 12:30–15:00 -> 08:00–14:00"]
    assert before.digest() != after.digest()


def test_the_calendar_refuses_hours_that_make_no_sense():
    with pytest.raises(ValueError, match="open before it closes"):
        WorkingCalendar(hours={0: ((time(13), time(12)),)})
    with pytest.raises(ValueError, match="overlap"):
        WorkingCalendar(hours={0: ((time(8), time(12)), (time(11), time(16)))})
    with pytest.raises(ValueError, match="overlap"):
        WorkingCalendar(ramadan=(RamadanPeriod(date(2026, 2, 19), date(2026, 3, 20)),
                                 RamadanPeriod(date(2026, 3, 1), date(2026, 3, 30))))
    single = WorkingCalendar(hours={0: (time(7, 30), time(16))})  # the old form: one span a day
    assert single.spans(date(2026, 11, 23)) == ((time(7, 30), time(16)),)
    assert hash(single) == hash(WorkingCalendar(hours={0: [(time(7, 30), time(16))]}))
