"""The relay publishes exactly what was stored, once, even with two relays of one service racing."""
from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from services.intake.application import Intake
from services.intake.messages import to_message
from shared.events import from_wire
from shared.contracts import event_stream
from shared.eventstore import store_env
from shared.messaging.relay import Relay
from shared.roles import Actor
from shared.settings import Settings
from shared.sop.loader import SopLibrary

pytestmark = pytest.mark.integration
PORTAL = Actor(id="portal", name="Portal", roles=("pemohon",))
FORM = {"subject": "Data RKPD", "applicant": {"name": "Budi", "institution": "Dinas PU"}}


async def test_two_racing_relays_publish_every_stored_event_exactly_once(clean_redis, prefix, tmp_path):
    intake = Intake(SopLibrary.from_directory(), env=store_env(Settings(data_dir=tmp_path), "intake"))
    submitted = [str(intake.submit("sop-b", FORM, PORTAL).id) for _ in range(40)]
    redis = Redis.from_url(clean_redis)
    stream = event_stream(prefix, "intake")
    relays = [Relay(redis, intake, stream, to_message, batch=7) for _ in range(2)]

    async def drain(relay: Relay) -> None:
        for _ in range(200):
            await relay.pump()
            await asyncio.sleep(0)

    await asyncio.gather(*(drain(r) for r in relays))
    published = [from_wire(fields) for _, fields in await redis.xrange(stream)]
    assert [m.case_id for m in published] == submitted  # every request, in order, once
    positions = [m.position for m in published]
    assert positions == sorted(set(positions))
    assert await relays[0].position() == intake.recorder.max_notification_id()

    more = str(intake.submit("sop-b", FORM, PORTAL).id)  # stored later: published on the next pump
    await relays[1].pump()
    last = from_wire((await redis.xrevrange(stream, count=1))[0][1])
    assert last.case_id == more and await redis.xlen(stream) == 41
    await redis.aclose()


async def test_an_idle_relay_publishes_everything_again_after_a_flush(clean_redis, prefix, tmp_path):
    intake = Intake(SopLibrary.from_directory(), env=store_env(Settings(data_dir=tmp_path), "intake"))
    submitted = [str(intake.submit("sop-b", FORM, PORTAL).id) for _ in range(3)]
    redis = Redis.from_url(clean_redis)
    stream = event_stream(prefix, "intake")
    relay = Relay(redis, intake, stream, to_message)
    stopping = asyncio.Event()
    running = asyncio.create_task(relay.run(stopping, poll_ms=10, recheck_s=0.05))

    async def published() -> list[str]:
        for _ in range(200):
            entries = await redis.xrange(stream)
            if len(entries) >= len(submitted):
                return [from_wire(fields).case_id for _, fields in entries]
            await asyncio.sleep(0.01)
        return []

    assert await published() == submitted
    await redis.delete(stream, relay.position_key)  # what FLUSHDB does; nothing new is stored after it
    assert await published() == submitted  # the store's events, again, in order, once
    stopping.set()
    await running
    await redis.aclose()
