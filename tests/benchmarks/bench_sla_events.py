"""Routing's published events for N synthetic cases: what the SLA benchmark writes to Redis and reads back.

Each case follows one path of system.demo.scenarios (every branch of the three SOPs, in turn), opens on a
working day of a six-week window during office hours, and takes for each step a working time drawn around
its standard (log-normal, median 60 % of it, so roughly one step in six runs late), laid out on the working
calendar. One case in ten is paused and resumed once; one in twenty stops half-way (still open). Positions
follow the instants, as in routing's notification log. Shapes are those of services.routing.messages.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from shared.working_calendar import AGENCY_ZONE, WorkingCalendar
from shared.contracts import EventMessage, stable_event_id
from system.demo import scenarios
from shared.roles import ActingAs
from shared.sop.loader import SopLibrary

FIRST_DAY = date(2026, 1, 5)  # a Monday
DAY_HOURS = Decimal("8.5")  # a "hari" of standard time, Monday to Thursday


class CaseLog:
    """The messages of one case, in order; each knows when it happened."""

    def __init__(self, n: int, sop):
        self.case_id, self.sop, self.version = f"bench-case-{n:06d}", sop, 0
        self.messages: list[EventMessage] = []

    def add(self, type_: str, at: datetime, **fields) -> None:
        self.version += 1
        self.messages.append(EventMessage(
            event_id=stable_event_id("routing", self.case_id, self.version), type=type_, source="routing", position=0,
            case_id=self.case_id, sop_id=self.sop.id, sop_version=self.sop.version, occurred_at=at,
            recorded_at=at + timedelta(milliseconds=40), **fields))

    def actor(self, role: str) -> ActingAs:
        return ActingAs(id=f"u-{role}", name=f"Pegawai {role}", role=role)

    def complete(self, step: int, decision: str, at: datetime) -> None:
        following = self.sop.step(step).decision(decision).next
        role = self.sop.step(step).role
        self.add("StepCompleted", at, step=step, actor=self.actor(role), decision=decision,
                 note="catatan" if decision in ("data_wrong", "not_this_division", "incomplete", "refused") else None,
                 data={"next_step": following, "next_role": self.sop.step(following).role if following else None,
                       "withheld_parts": None, "command_id": f"cmd-{self.case_id}-{self.version}"})


def opening(rnd: random.Random, calendar: WorkingCalendar) -> datetime:
    day = FIRST_DAY + timedelta(days=rnd.randrange(42))
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(7, 30), AGENCY_ZONE) + timedelta(minutes=rnd.randrange(7 * 60))


def worked(rnd: random.Random, sop, step: int) -> Decimal:
    """Working hours spent on a step: log-normal around 60 % of its standard."""
    standard = sop.step(step).standard_time
    hours = standard.hours + standard.days * DAY_HOURS
    return Decimal(str(round(float(hours) * rnd.lognormvariate(-0.51, 0.6), 4)))


def one_case(n: int, library: SopLibrary, calendar: WorkingCalendar, rnd: random.Random) -> list[EventMessage]:
    paths = scenarios()
    scenario = paths[n % len(paths)]
    log = CaseLog(n, library.latest(scenario.sop_id))
    at = opening(rnd, calendar)
    log.add("CaseOpened", at, data={"register_number": f"{n:05d}/BAPPEDA/2026", "subject": "Permohonan uji beban",
                                    "applicant": {"name": "Pemohon", "institution": "Dinas PU"},
                                    "current_step": 1, "current_role": "pemohon"})
    log.complete(1, "submitted", at)
    moves = scenario.moves[: len(scenario.moves) // 2] if n % 20 == 19 else scenario.moves
    for i, (step, decision, role) in enumerate(moves):
        if n % 10 == 3 and i == 1:  # paused for a missing document, resumed two working hours later
            log.add("CasePaused", at, actor=log.actor("petugas_tu"), note="menunggu kelengkapan",
                    data={"reason": "menunggu kelengkapan"})
            at = calendar.add(at, Decimal(2))
            log.add("CaseResumed", at, actor=log.actor("petugas_tu"), note="lengkap", data={"note": "lengkap"})
        at = calendar.add(at, worked(rnd, log.sop, step))
        log.complete(step, decision, at)
    if moves == scenario.moves:
        log.add("CaseClosed", at, data={"outcome": scenario.outcome})
    return log.messages


def routing_events(cases: int, library: SopLibrary, calendar: WorkingCalendar, seed: int = 35) -> list[EventMessage]:
    """Every case's messages, interleaved by instant and numbered as routing's log would number them."""
    rnd = random.Random(seed)
    found = [(m.occurred_at, n, i, m) for n in range(cases)
             for i, m in enumerate(one_case(n, library, calendar, rnd))]
    found.sort(key=lambda item: item[:3])
    return [m.model_copy(update={"position": p}) for p, (*_, m) in enumerate(found, start=1)]
