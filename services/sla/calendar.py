"""Working time: when a step's standard time ("0,5 jam", "1 hari") runs out.

Pure: no clock, no I/O. The standard times of the SOPs are working time, so
nights and weekends do not count. Holidays and cuti bersama come in a later
issue; until then `closed` lets a caller name extra closed dates.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

AGENCY_ZONE = ZoneInfo("Asia/Pontianak")
# Perpres 21/2023: 37.5 hours a week from 07:30, Monday (0) to Friday (4).
CIVIL_SERVICE_HOURS: Mapping[int, tuple[time, time]] = {
    0: (time(7, 30), time(16)), 1: (time(7, 30), time(16)), 2: (time(7, 30), time(16)),
    3: (time(7, 30), time(16)), 4: (time(7, 30), time(16, 30)),
}


@dataclass(frozen=True)
class WorkingCalendar:
    """Opening hours per weekday in one zone; a day missing from `hours` is closed.

    The lunch break (60 minutes Monday–Thursday, 90 on Friday) is ignored for now:
    a working day runs from opening to closing without a gap, so a due time may
    fall inside the break and the afternoon counts the break as working time.
    """

    zone: ZoneInfo = AGENCY_ZONE
    hours: Mapping[int, tuple[time, time]] = field(default_factory=lambda: dict(CIVIL_SERVICE_HOURS))
    closed: frozenset[date] = frozenset()

    def add(self, start: datetime, hours: Decimal = Decimal(0), days: Decimal = Decimal(0)) -> datetime:
        """The earliest instant by which `days` working days and then `hours` working hours have passed.

        One "hari" leads to the same working-time position (time since opening) on the
        next working day, or that day's closing when it is shorter; from a closing
        it leads to the next closing. Returned in the calendar's zone.
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

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.hours and day not in self.closed

    def _position(self, local: datetime) -> tuple[date, timedelta]:
        """Where `local` stands in working time: (a working day, time since its opening).

        An instant outside working hours stands at the closing of the working day
        before it, so that adding working time starts from the next opening.
        """
        day = local.date()
        if self.is_working_day(day):
            opening, closing = self._bounds(day)
            if opening < local <= closing:
                return day, local - opening
            if local > closing:
                return day, closing - opening
        day = self._previous_working_day(day)
        return day, self._length(day)

    def _next_day(self, day: date, position: timedelta) -> tuple[date, timedelta]:
        at_closing = position >= self._length(day)
        day = self._next_working_day(day)
        return day, self._length(day) if at_closing else min(position, self._length(day))

    def _advance(self, day: date, position: timedelta, amount: timedelta) -> datetime:
        while amount > self._length(day) - position:
            amount -= self._length(day) - position
            day, position = self._next_working_day(day), timedelta(0)
        return self._bounds(day)[0] + position + amount

    def _bounds(self, day: date) -> tuple[datetime, datetime]:
        opening, closing = self.hours[day.weekday()]
        return (datetime.combine(day, opening, tzinfo=self.zone), datetime.combine(day, closing, tzinfo=self.zone))

    def _length(self, day: date) -> timedelta:
        opening, closing = self._bounds(day)
        return closing - opening

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
