"""When the answer is due by law, fixed as a fact when the case opens.

The SOP's statutory clock (UU 14/2008 pasal 22: 10 working days) counted on the working calendar from the
registration: the documents print it ("Batas waktu: 16 Desember 2026") and have no calendar and no clock,
so the date travels in Case.Opened. It is the due date as known at registration; pauses and the one
extension move the SLA service's statutory clock later, never this recorded fact.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import lru_cache

from shared.calendar_settings import CalendarSettings, build_calendar
from shared.sop.schema import SopDefinition
from shared.working_calendar import AGENCY_ZONE, WorkingCalendar

CalendarFor = Callable[[date], WorkingCalendar]  # the calendar as known on a day, covering that day's years


def answer_due_at(sop: SopDefinition, opened_at: datetime, calendar_for: CalendarFor) -> datetime | None:
    """The instant (UTC) the statutory working days run out from `opened_at`; None for an SOP without the clock.
    The same count as the SLA service's statutory clock of a case never paused nor extended."""
    clock = sop.statutory_clock
    if clock is None:
        return None
    calendar = calendar_for(opened_at.astimezone(AGENCY_ZONE).date())
    return calendar.add(opened_at, days=Decimal(clock.working_days)).astimezone(timezone.utc)  # as every stored instant


@lru_cache(maxsize=4)
def calendar_from_settings(day: date) -> WorkingCalendar:
    """The calendar from SOP_CALENDAR_* (holidays package, override file) for the years around `day`; built
    once a day, so an override decreed late counts from the next day on."""
    return build_calendar(CalendarSettings(), around=day)
