"""The wired SLA service without Redis: its HTTP answer, its timer's tick, the timer loop itself."""
from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx

from services.sla.bootstrap import bootstrap
from shared.working_calendar import WorkingCalendar
from services.sla.monitor import run_timer
from services.sla.sla_settings import SlaSettings
from shared.clock import FixedClock
from shared.settings import Settings
from tests.unit.test_sla_monitor import published
from tests.unit.test_sla_projection import RoutingLog, local
from tests.unit.test_sla_projection_holds import sop_c_at_step_5


def service_at(clock: FixedClock, **settings):
    return bootstrap(Settings(persistence="memory"), calendar=WorkingCalendar(), clock=clock,
                     sla_settings=SlaSettings(**settings))


async def test_a_cases_sla_is_its_clock_and_its_visits():
    service, log = service_at(FixedClock(local("08:00"))), RoutingLog("sop-c")
    for message in sop_c_at_step_5(log) + [log.pause(local("08:30"))]:
        service.store.apply(message)
    transport = httpx.ASGITransport(app=service.http)  # no lifespan: nothing touches Redis
    async with httpx.AsyncClient(transport=transport, base_url="http://sla") as client:
        found = (await client.get(f"/cases/{log.case_id}/sla")).json()
        missing = await client.get(f"/cases/{uuid.uuid4()}/sla")
        garbage = await client.get("/cases/no-such-case/sla")
    assert found["clock"]["statutory_basis"] == "UU 14/2008 pasal 22"
    assert found["clock"]["paused_since"] == "2026-11-25T01:30:00Z"
    assert [(v["step"], v["on_time"]) for v in found["visits"]] == [(1, True), (2, True), (3, True), (4, True),
                                                                    (5, None)]
    assert missing.status_code == 404 and missing.json()["error"] == "case_not_found"
    assert garbage.status_code == 422 and garbage.json()["fields"][0]["field"] == "path.case_id"


def test_the_timer_tick_reads_the_injected_clock():
    clock, log = FixedClock(local("08:00")), RoutingLog("sop-c")
    service = service_at(clock)
    for message in sop_c_at_step_5(log):
        service.store.apply(message)
    clock.advance(timedelta(minutes=50))
    assert service.tick() == 1 and published(service.app)[0].occurred_at == local("08:45")


def test_the_timer_rebuilds_the_calendar_when_its_period_is_up():
    clock = FixedClock(local("08:00"))
    service = bootstrap(Settings(persistence="memory"), clock=clock,
                        sla_settings=SlaSettings(calendar_refresh_seconds=60))
    service.tick()
    assert published(service.app) == []  # not due yet (the service records one on start)
    clock.advance(timedelta(seconds=61))
    service.tick()
    assert [m.type for m in published(service.app)] == ["CalendarChanged"]


async def test_the_timer_ticks_at_once_and_stops_when_told():
    stopping, ticks = asyncio.Event(), []

    def tick() -> None:
        ticks.append(len(ticks))
        if len(ticks) == 2:
            stopping.set()
        if len(ticks) == 1:
            raise RuntimeError("a failing tick is logged; the next one runs")

    await asyncio.wait_for(run_timer(tick, 0, stopping), timeout=5)  # period 0: no waiting
    assert ticks == [0, 1]
