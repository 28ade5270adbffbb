"""Working-time clocks with pauses: when a visit or a case is due, and how much working time it used.

Pure: a calendar, instants and the case's pauses in; instants and seconds out. A pause
(CasePaused .. CaseResumed) stops every clock of its case: its working time is added to
each due time it falls before, and left out of the time used. A pause still running has
no end yet, so a due time behind it is given as a lower bound (as if resumed where it
began) and the caller is told the case is paused (`paused_since`).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from shared.working_calendar import WorkingCalendar
from shared.sop.schema import SopDefinition, WorkingTime

Pause = tuple[datetime, datetime | None]  # (paused at, resumed at); None while still paused


def pauses_of(holds: Iterable[tuple[str, datetime]]) -> list[Pause]:
    """Pairs ("pause" | "resume", at) facts given in log order into intervals.

    A pause while paused, or a resume while running, is skipped: routing refuses both,
    so they can only come from a log this read model was not meant for.
    """
    found: list[Pause] = []
    since: datetime | None = None
    for kind, at in holds:
        if kind == "pause" and since is None:
            since = at
        elif kind == "resume" and since is not None:
            found.append((since, at))
            since = None
    return found + ([(since, None)] if since is not None else [])


def paused_since(pauses: Sequence[Pause]) -> datetime | None:
    return next((begin for begin, end in pauses if end is None), None)


def before(pauses: Sequence[Pause], end: datetime | None) -> list[Pause]:
    """The pauses that began before `end`: a clock that stopped at `end` knows no later ones."""
    return [p for p in pauses if end is None or p[0] < end]


def paused_seconds(calendar: WorkingCalendar, start: datetime, end: datetime, pauses: Sequence[Pause]) -> float:
    """Working time between `start` and `end` that fell inside a pause."""
    total = 0.0
    for begin, until in pauses:
        lo, hi = max(begin, start), end if until is None else min(until, end)
        if hi > lo:
            total += calendar.working_seconds(lo, hi)
    return total


def used_seconds(calendar: WorkingCalendar, start: datetime, end: datetime, pauses: Sequence[Pause]) -> float:
    """Working time from `start` to `end`, paused time left out."""
    return calendar.working_seconds(start, end) - paused_seconds(calendar, start, end, pauses)


def hours_of(seconds: float) -> Decimal:
    return Decimal(repr(seconds)) / 3600


def due(calendar: WorkingCalendar, start: datetime, pauses: Sequence[Pause],
        hours: Decimal = Decimal(0), days: Decimal = Decimal(0)) -> datetime:
    """The earliest instant by which the working time given has been used from `start`, pauses not counting.

    Each pause that begins before the due time found so far pushes it on by the pause's working
    time after `start`; pauses are disjoint and in order, so one pass suffices. Adding working
    seconds after the due time lands where resuming and using the remainder would.
    """
    at = calendar.add(start, hours, days)
    for begin, end in pauses:
        if end is not None and end <= start:
            continue
        if end is None or begin >= at:
            break  # a pause still running: lower bound; or every later pause begins after the due time
        lost = calendar.working_seconds(max(begin, start), end)
        if lost:
            at = calendar.add(at, hours_of(lost))
    return at


def standard_seconds(calendar: WorkingCalendar, start: datetime, standard: WorkingTime) -> float:
    """A standard time as working seconds from `start` ("1 hari" is the length of the days it spans)."""
    return calendar.working_seconds(start, calendar.add(start, standard.hours, standard.days))


def sop_total(sop: SopDefinition) -> WorkingTime:
    """The SOP's total standard time: every step's, as the SOP text sums them (SOP C: 1 hari + 7 jam)."""
    return WorkingTime(hours=sum((s.standard_time.hours for s in sop.steps), Decimal(0)),
                       days=sum((s.standard_time.days for s in sop.steps), Decimal(0)))


@dataclass(frozen=True)
class CaseClock:
    """A case's own clocks: the SOP's total standard time and, where the SOP has one, the statutory deadline."""

    case_id: str
    sop_id: str
    sop_version: int
    opened_at: datetime  # registration: the case's CaseOpened
    sop_standard: str  # the SOP's total, e.g. "1 hari + 7 jam"
    sop_due_at: datetime  # opened_at + the total in working time, paused time added
    statutory_basis: str | None  # e.g. "UU 14/2008 pasal 22"; None when the SOP has no statutory clock
    statutory_due_at: datetime | None  # opened_at + working days (+ the one extension), paused time added
    extended: bool  # the statutory deadline was extended (once)
    extensions_ignored: int  # DeadlineExtended facts after the first (or on an SOP without the clock): not counted
    paused_since: datetime | None  # the case is paused now; due times above are lower bounds
    closed_at: datetime | None
    outcome: str | None
    sop_on_time: bool | None  # closed_at <= sop_due_at; None while open
    statutory_on_time: bool | None  # closed_at <= statutory_due_at; None while open or without the clock
