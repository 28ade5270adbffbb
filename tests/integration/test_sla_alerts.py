"""The SLA service on the real Redis: its alerts reach sop.<prefix>.sla.events and come back to its read model."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from services.sla.application import Sla
from services.sla.bootstrap import bootstrap
from shared.working_calendar import WorkingCalendar
from services.sla.messages import to_message
from services.sla.projection import SlaStore
from services.sla.sla_settings import SlaSettings
from shared.events import from_wire
from shared.clock import FixedClock
from shared.contracts import EventMessage, event_stream
from shared.eventstore import store_env
from shared.messaging.relay import Relay
from shared.settings import Settings
from tests.unit.test_sla_projection import LIBRARY, RoutingLog, local
from tests.unit.test_sla_projection_holds import sop_c_at_step_5

pytestmark = pytest.mark.integration


async def stream_of(redis: Redis, stream: str) -> list[EventMessage]:
    return [from_wire(fields) for _, fields in await redis.xrange(stream)]


async def until(done: Callable[[], bool], timeout: float = 10.0) -> None:
    """Waits for the background consumer, not for time to pass: the clock is the fake one."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not done():
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting for the consumer"
        await asyncio.sleep(0.02)


async def test_the_relay_publishes_the_breach_on_the_sla_stream(clean_redis, prefix, tmp_path):
    log, store = RoutingLog("sop-c"), SlaStore(tmp_path / "sla-views.db", LIBRARY, WorkingCalendar())
    for message in sop_c_at_step_5(log):
        store.apply(message)
    sla = Sla(store, SlaSettings(), env=store_env(Settings(data_dir=tmp_path), "sla"))
    assert sla.tick(local("09:30")) == 3
    redis, stream = Redis.from_url(clean_redis), event_stream(prefix, "sla")
    await Relay(redis, sla, stream, to_message).pump()
    published = await stream_of(redis, stream)
    assert [(m.type, m.occurred_at) for m in published] == [
        ("StepAtRisk", local("08:45")), ("StepBreached", local("09:00")), ("EscalationRaised", local("09:00"))]
    assert all(m.case_id == log.case_id and m.source == "sla" for m in published)
    assert published[2].data.to_role == "kabid"
    await redis.aclose()


async def test_the_running_service_alerts_and_reads_its_alerts_back(clean_redis, prefix, tmp_path):
    clock, log = FixedClock(local("08:00")), RoutingLog("sop-c")
    settings = Settings(data_dir=tmp_path, stream_prefix=prefix, redis_url=clean_redis, relay_poll_ms=10)
    service = bootstrap(settings, calendar=WorkingCalendar(), clock=clock, sla_settings=SlaSettings(tick_seconds=60))
    redis = Redis.from_url(clean_redis)
    for message in sop_c_at_step_5(log):
        await redis.xadd(event_stream(prefix, "routing"), message.to_wire())
    await service.runtime.start()
    try:
        await until(lambda: len(service.store.visits(case_id=log.case_id)) == 5)
        clock.advance(timedelta(hours=1, minutes=1))
        assert service.tick() == 3  # what the timer does every tick_seconds, here without waiting for it
        await until(lambda: service.store.visits(open_only=True)[0].breached_at is not None)
        [visit] = service.store.visits(open_only=True)
        assert (visit.at_risk_at, visit.breached_at) == (local("08:45"), local("09:00"))
        types = [m.type for m in await stream_of(redis, event_stream(prefix, "sla"))]
        assert types == ["CalendarChanged", "StepAtRisk", "StepBreached", "EscalationRaised"]  # recorded on start
        assert service.tick() == 0
    finally:
        await service.runtime.stop()
        await redis.aclose()
