"""The SLA monitor: which thresholds an open visit has crossed by a given instant, and the timer that asks.

The instant of a crossing is computed from the calendar, not taken from the tick: a
tick that runs late (a restart, a slow machine) still reports when it really happened.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from shared.working_calendar import WorkingCalendar
from services.sla.clocks import Pause, due, hours_of, paused_since
from services.sla.visits import Visit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Crossing:
    kind: Literal["at_risk", "breached"]
    at: datetime  # when the visit's used working time reached the threshold
    used_fraction: float  # of the standard time, at that instant


def may_have_crossed(visit: Visit, now: datetime, at_risk_fraction: float) -> bool:
    """A cheap first look, as the timer asks about every open visit every tick: working time never
    runs faster than the wall clock, so nothing is crossed before that share of the standard has
    passed; and a breached visit has nothing left to cross."""
    return visit.breached_at is None and now >= visit.started_at + timedelta(
        seconds=at_risk_fraction * visit.standard_seconds)


def crossings(visit: Visit, pauses: Sequence[Pause], calendar: WorkingCalendar, now: datetime,
              at_risk_fraction: float) -> list[Crossing]:
    """At risk once the working time used reaches `at_risk_fraction` of the standard; breached once
    `now` is past the due time (as a completion then would be late). A paused clock crosses nothing
    after the pause began."""
    if not may_have_crossed(visit, now, at_risk_fraction):
        return []
    stopped = paused_since(pauses)

    def reached(at: datetime, strictly: bool) -> bool:
        passed = at < now if strictly else at <= now
        return passed and (stopped is None or (at < stopped if strictly else at <= stopped))

    found = []
    risk_at = due(calendar, visit.started_at, pauses, hours_of(at_risk_fraction * visit.standard_seconds))
    if reached(risk_at, strictly=False):
        found.append(Crossing("at_risk", risk_at, at_risk_fraction))
    if reached(visit.due_at, strictly=True):
        found.append(Crossing("breached", visit.due_at, 1.0))
    return found


async def run_timer(tick: Callable[[], object], period_s: float, stopping: asyncio.Event) -> None:
    """Calls `tick` now and then every `period_s` until `stopping` is set; a failing tick is logged
    and the next one tries again (alerts are idempotent, so nothing is lost or doubled)."""
    while not stopping.is_set():
        try:
            tick()
        except Exception:
            log.exception("SLA tick failed; retrying in %s s", period_s)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), period_s)
