"""Working time: when a step's standard time ("0,5 jam", "1 hari") runs out.

Pure: no clock, no I/O. The standard times of the SOPs are working time: nights,
weekends, breaks, national holidays and cuti bersama do not count, and Ramadan
has its own shorter hours. The calendar only holds that content; where it comes
from (settings, the `holidays` package, an override file of decrees) is
`shared.calendar_settings.build_calendar`.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property
from types import MappingProxyType
from zoneinfo import ZoneInfo

from shared.agency import agency

AGENCY_ZONE = agency().tz
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Span = tuple[time, time]
WeekHours = Mapping[int, tuple[Span, ...]]  # weekday (Monday 0) -> opening spans; a missing day is closed

# Perpres 21/2023: 37.5 hours a week from 07:30, with a 60-minute break Monday–Thursday and a
# 90-minute one on Friday, so 07:30–16:00 and 07:30–16:30. The Perpres fixes only the length of
# the break, not when it is taken: its position is a setting. Defaults: 12:00–13:00, and on Friday
# 11:30–13:00 so that it covers Friday prayer. Both kinds of day come to 7.5 working hours.
CIVIL_SERVICE_HOURS: WeekHours = MappingProxyType({
    **{weekday: ((time(7, 30), time(12)), (time(13), time(16))) for weekday in range(4)},
    4: ((time(7, 30), time(11, 30)), (time(13), time(16, 30))),
})
# Ramadan (Perpres 21/2023, 32.5 hours a week from 08:00): Monday–Thursday 08:00–15:00 with a
# 30-minute break, Friday 08:00–15:30 with 60 minutes; the break positions are those of the
# MenPAN-RB circulars (12:00–12:30, Friday 11:30–12:30). 6.5 working hours a day.
RAMADAN_HOURS: WeekHours = MappingProxyType({
    **{weekday: ((time(8), time(12)), (time(12, 30), time(15))) for weekday in range(4)},
    4: ((time(8), time(11, 30)), (time(12, 30), time(15, 30))),
})


def week_hours(hours: Mapping[int, Iterable]) -> WeekHours:
    """Checked, immutable opening spans. A day may also be given the old way, as one (opening, closing) pair."""
    checked = {}
    for weekday, spans in hours.items():
        if weekday not in range(7):
            raise ValueError(f"weekday {weekday!r} is not 0 (Monday) to 6 (Sunday)")
        spans = tuple(spans)
        if len(spans) == 2 and all(isinstance(t, time) for t in spans):
            spans = (spans,)
        spans = tuple((opening, closing) for opening, closing in spans)
        for (opening, closing), following in zip(spans, spans[1:] + ((None, None),)):
            if not opening < closing:
                raise ValueError(f"{WEEKDAY_NAMES[weekday]}: a span must open before it closes, "
                                 f"not {_span(opening, closing)}")
            if following[0] is not None and following[0] < closing:
                raise ValueError(f"{WEEKDAY_NAMES[weekday]}: spans must be in order and not overlap")
        if spans:
            checked[weekday] = spans
    return MappingProxyType(dict(sorted(checked.items())))


@dataclass(frozen=True)
class RamadanPeriod:
    """From `first` to `last` (both included) the weekday spans are `hours`, not the calendar's usual ones."""

    first: date
    last: date
    hours: WeekHours = field(default_factory=lambda: RAMADAN_HOURS)

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"Ramadan period {self.first}..{self.last} ends before it starts")
        object.__setattr__(self, "hours", week_hours(self.hours))

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last

    def __str__(self) -> str:
        return f"Ramadan {self.first.isoformat()}..{self.last.isoformat()}"


@dataclass(frozen=True)
class WorkingCalendar:
    """Opening spans per weekday in one zone (the gaps between spans are breaks), Ramadan
    periods with their own spans, and closed dates, each with its name.

    `closed` may also be a set of dates (named "closed"). `years` is what the calendar was
    built for (its holidays are known only for those); empty when nobody said.
    """

    zone: ZoneInfo = AGENCY_ZONE
    hours: WeekHours = field(default_factory=lambda: CIVIL_SERVICE_HOURS)
    ramadan: tuple[RamadanPeriod, ...] = ()
    closed: Mapping[date, str] = field(default_factory=lambda: MappingProxyType({}))
    years: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        closed = self.closed if isinstance(self.closed, Mapping) else dict.fromkeys(self.closed, "closed")
        ramadan = tuple(sorted(self.ramadan, key=lambda period: period.first))
        for before, after in zip(ramadan, ramadan[1:]):
            if after.first <= before.last:
                raise ValueError(f"{before} and {after} overlap")
        object.__setattr__(self, "hours", week_hours(self.hours))
        object.__setattr__(self, "ramadan", ramadan)
        object.__setattr__(self, "closed", MappingProxyType(dict(sorted(closed.items()))))
        object.__setattr__(self, "years", tuple(sorted(set(self.years))))
        # A day's spans as instants, asked for on every due time the SLA derives: the calendar never
        # changes once built, so each day is computed once (a year is a few hundred small entries).
        object.__setattr__(self, "_by_day", {})

    def __hash__(self) -> int:
        return hash(self.digest())

    def add(self, start: datetime, hours: Decimal = Decimal(0), days: Decimal = Decimal(0)) -> datetime:
        """The earliest instant by which `days` working days and then `hours` working hours have passed.

        Working time never counts breaks, closed days or time outside the spans. One "hari"
        is one full working day of this calendar: it leads to the same working-time position
        (working time since that day's opening, breaks left out) on the next working day, or
        to that day's closing when the day is shorter (a Ramadan day); from a closing it leads
        to the next closing. Because the position is working time, not the clock, a "hari"
        from Thursday 11:45 (4¼ h in) ends Friday 13:15, Friday's morning being 4 h.
        A fraction of a day is that fraction of the length of the day reached. A due time
        is the earliest instant: one that ends as a span closes is that closing, not the
        next opening. Returned in the calendar's zone.
        """
        if start.tzinfo is None:
            raise ValueError("start must carry its time zone")
        if hours < 0 or days < 0:
            raise ValueError("working time to add must not be negative")
        if not hours and not days:
            return start.astimezone(self.zone)
        day, position = self._position(start.astimezone(self.zone))
        whole, fraction = divmod(Decimal(days), 1)
        for _ in range(int(whole)):
            day, position = self._next_day(day, position)
        extra = Decimal(hours) * 3600 + fraction * Decimal(self._length(day).total_seconds())
        return self._advance(day, position, timedelta(seconds=float(extra)))

    def working_seconds(self, start: datetime, end: datetime) -> float:
        """Working time from `start` to `end` in seconds; 0 when `end` is not after `start`."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must carry their time zone")
        start, end = start.astimezone(self.zone), end.astimezone(self.zone)
        total, day = timedelta(0), start.date()
        while day <= end.date():
            for opening, closing in self._intervals(day):
                if min(closing, end) > max(opening, start):
                    total += min(closing, end) - max(opening, start)
            day += timedelta(days=1)
        return total.total_seconds()

    def is_working_day(self, day: date) -> bool:
        return bool(self._spans(day))

    def covers(self, day: date) -> bool:
        """Whether `day` lies in the years the calendar was built for (always, when it names none)."""
        return not self.years or day.year in self.years

    def closures(self, year: int) -> dict[date, str]:
        """The closed dates of `year` with their names, weekend ones included."""
        return {day: name for day, name in self.closed.items() if day.year == year}

    def spans(self, day: date) -> tuple[Span, ...]:
        """The opening spans of `day`: none when it is closed, Ramadan's within a Ramadan period."""
        return self._spans(day)

    def digest(self) -> str:
        """SHA-256 over everything that decides working time: zone, years, spans, Ramadan, closed dates.

        Stable across processes and runs. Names of closed dates are labels, not content:
        renaming a holiday moves no due time, so it does not change the digest.
        """
        return self._digest

    @cached_property
    def _digest(self) -> str:
        content = {
            "zone": self.zone.key, "years": list(self.years), "hours": _hours_content(self.hours),
            "ramadan": [[p.first.isoformat(), p.last.isoformat(), _hours_content(p.hours)] for p in self.ramadan],
            "closed": [day.isoformat() for day in self.closed],
        }
        text = json.dumps(content, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def describe_changes(self, other: WorkingCalendar) -> list[str]:
        """What differs in `other` (the newer calendar) from this one, in words, one change a line."""
        changes = []
        if self.zone.key != other.zone.key:
            changes.append(f"zone {self.zone.key} -> {other.zone.key}")
        if self.years != other.years:
            changes.append(f"years covered {_years(self.years)} -> {_years(other.years)}")
        changes += _hour_changes("", self.hours, other.hours)
        old, new = {(p.first, p.last): p for p in self.ramadan}, {(p.first, p.last): p for p in other.ramadan}
        for dates in sorted(old.keys() | new.keys()):
            if dates not in new:
                changes.append(f"{old[dates]} removed")
            elif dates not in old:
                changes.append(f"{new[dates]} added")
            else:
                changes += _hour_changes(f"{new[dates]}: ", old[dates].hours, new[dates].hours)
        for day in sorted(self.closed.keys() | other.closed.keys()):
            label = f"{day.isoformat()} ({WEEKDAY_NAMES[day.weekday()]})"
            if day not in other.closed:
                changes.append(f"{label} no longer closed (was {self.closed[day]})")
            elif day not in self.closed:
                changes.append(f"{label} closed: {other.closed[day]}")
            elif self.closed[day] != other.closed[day]:
                changes.append(f"{label} renamed: {self.closed[day]} -> {other.closed[day]}")
        return changes

    def _spans(self, day: date) -> tuple[Span, ...]:
        if day in self.closed:
            return ()
        weekly = next((p.hours for p in self.ramadan if day in p), self.hours)
        return weekly.get(day.weekday(), ())

    def _intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        if (known := self._by_day.get(day)) is None:
            known = self._by_day[day] = [(datetime.combine(day, opening, tzinfo=self.zone),
                                          datetime.combine(day, closing, tzinfo=self.zone))
                                         for opening, closing in self._spans(day)]
        return known

    def _length(self, day: date) -> timedelta:
        return sum((closing - opening for opening, closing in self._intervals(day)), timedelta(0))

    def _position(self, local: datetime) -> tuple[date, timedelta]:
        """Where `local` stands in working time: (a working day, working time since its opening).

        In a break it stands where the span before the break closed. At or before a day's
        opening (or on a closed day) it stands at the closing of the working day before,
        so that adding working time starts from the next opening.
        """
        day, intervals = local.date(), self._intervals(local.date())
        if intervals and intervals[0][0] < local:
            position = timedelta(0)
            for opening, closing in intervals:
                if local <= opening:
                    break
                position += min(local, closing) - opening
            return day, position
        day = self._previous_working_day(day)
        return day, self._length(day)

    def _instant(self, day: date, position: timedelta) -> datetime:
        """The earliest instant of `day` at `position` working time since its opening."""
        for opening, closing in self._intervals(day):
            if position <= closing - opening:
                return opening + position
            position -= closing - opening
        raise AssertionError("a position beyond the day's closing")

    def _next_day(self, day: date, position: timedelta) -> tuple[date, timedelta]:
        at_closing = position >= self._length(day)
        day = self._next_working_day(day)
        return day, self._length(day) if at_closing else min(position, self._length(day))

    def _advance(self, day: date, position: timedelta, amount: timedelta) -> datetime:
        while amount > self._length(day) - position:
            amount -= self._length(day) - position
            day, position = self._next_working_day(day), timedelta(0)
        return self._instant(day, position + amount)

    def _next_working_day(self, day: date) -> date:
        return self._step_to_working_day(day, 1)

    def _previous_working_day(self, day: date) -> date:
        return self._step_to_working_day(day, -1)

    def _step_to_working_day(self, day: date, direction: int) -> date:
        for _ in range(366):  # a calendar closed for a whole year is a configuration error
            day += timedelta(days=direction)
            if self.is_working_day(day):
                return day
        raise ValueError("no working day within a year; check the calendar's hours and closed dates")


def _span(opening: time, closing: time) -> str:
    return f"{opening:%H:%M}–{closing:%H:%M}"


def _hours_content(hours: WeekHours) -> dict[str, list[str]]:
    return {str(weekday): [_span(*span) for span in spans] for weekday, spans in hours.items()}


def _hour_changes(prefix: str, old: WeekHours, new: WeekHours) -> list[str]:
    def text(spans: tuple[Span, ...]) -> str:
        return ", ".join(_span(*span) for span in spans) or "closed"
    return [f"{prefix}{WEEKDAY_NAMES[weekday]} hours {text(old.get(weekday, ()))} -> {text(new.get(weekday, ()))}"
            for weekday in range(7) if old.get(weekday, ()) != new.get(weekday, ())]


def _years(years: tuple[int, ...]) -> str:
    return ", ".join(map(str, years)) or "unspecified"
