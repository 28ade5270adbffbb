"""The statutory deadline (UU 14/2008 pasal 22 for SOP C) of open cases, counted by how near it is.

A paused case's clock stands still where the pause began, so its deadline is judged at that instant:
a pause neither brings a deadline nearer nor lets one slip past unseen.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from services.sla.clocks import CaseClock

SOON_WORKING_DAYS = Decimal(2)
STATES = ("passed", "within_2_working_days", "later")


def deadline_state(clock: CaseClock, calendar: Any, now: datetime,
                   soon_limit: Callable[[datetime], datetime] | None = None) -> str | None:
    """Where the case stands against its statutory deadline; None for a case without one. `soon_limit(at)`:
    two working days after `at` (deadline_counts passes one that remembers it)."""
    if clock.statutory_due_at is None:
        return None
    at = clock.paused_since or now
    if clock.statutory_due_at <= at:
        return "passed"
    limit = soon_limit(at) if soon_limit else calendar.add(at, days=SOON_WORKING_DAYS)
    return "within_2_working_days" if clock.statutory_due_at <= limit else "later"


def deadline_counts(clocks: Iterable[CaseClock], calendar: Any, now: datetime) -> Counter[tuple[str, str]]:
    """(sop_id, state) -> open cases, over the cases that have a statutory deadline. Every running clock is
    judged at `now`: two working days after it are counted once per scrape, not once per open case (with
    100,000 open cases that was 10 s of a scrape)."""
    found: Counter[tuple[str, str]] = Counter()
    limits: dict[datetime, datetime] = {}

    def soon_limit(at: datetime) -> datetime:
        if at not in limits:
            limits[at] = calendar.add(at, days=SOON_WORKING_DAYS)
        return limits[at]

    for clock in clocks:
        state = deadline_state(clock, calendar, now, soon_limit)
        if state is not None:
            found[(clock.sop_id, state)] += 1
    return found


def statutory_sops(library: Any) -> list[str]:
    """The SOPs whose some version runs a statutory clock: their series exist from the start, at zero."""
    return sorted({sop.id for sop in library.all() if sop.statutory_clock is not None}) if library else []
