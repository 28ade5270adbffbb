"""Relay and consumer groups against the real Redis: nothing lost, nothing applied twice."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest
from redis.asyncio import Redis

from services.intake.views.store import ViewStore
from shared.events import from_wire
from shared.contracts import EventMessage, dead_letter_stream, event_stream
from shared.messaging.consumer import GroupConsumer
from shared.messaging.deadletters import list_dead_letters, retry_dead_letter

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)


def message(position: int, source: str = "routing") -> EventMessage:
    return EventMessage(event_id=f"e{position}", type="Noted", source=source, position=position,
                        case_id=f"case-{position % 7}", sop_id="sop-a", sop_version=1,
                        occurred_at=NOW, recorded_at=NOW)


async def publish(redis: Redis, stream: str, count: int) -> None:
    async with redis.pipeline(transaction=False) as pipe:
        for position in range(1, count + 1):
            pipe.xadd(stream, message(position).to_wire())
        await pipe.execute()


def consumer(redis: Redis, prefix: str, name: str, handler, **kwargs) -> GroupConsumer:
    return GroupConsumer(redis, [event_stream(prefix, "routing")], "views", name, handler,
                         dead_letter_stream(prefix, "views"), **kwargs)


async def test_group_starts_at_the_first_entry_even_if_published_before_it_existed(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    await publish(redis, event_stream(prefix, "routing"), 30)
    store = ViewStore(":memory:")
    reader = consumer(redis, prefix, "c1", store.apply)
    await reader.ensure_groups()
    while await reader.read_once():
        pass
    assert len(store.snapshot()["audit"]) == 30
    await redis.aclose()


async def test_pending_work_of_a_dead_consumer_is_reclaimed_and_applied_once(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream = event_stream(prefix, "routing")
    await publish(redis, stream, 200)
    store = ViewStore(":memory:")
    applied_by_dead: list[int] = []

    def dies_after_applying_half(m: EventMessage) -> bool:
        # applies (and commits) every other message, then the process "dies" before any XACK
        if m.position % 2:
            applied_by_dead.append(m.position)
            return store.apply(m)
        raise SystemExit("killed")

    dead = consumer(redis, prefix, "dead", dies_after_applying_half, batch=200)
    await dead.ensure_groups()
    await redis.xreadgroup("views", "dead", {stream: ">"}, count=200)  # delivered, never acknowledged
    entries = await redis.xrange(stream)
    for entry_id, fields in entries[:60]:  # it got through 60 entries before dying
        try:
            dead.handler(from_wire(fields))
        except SystemExit:
            pass
    assert (await redis.xpending(stream, "views"))["pending"] == 200

    effects: list[int] = []
    survivor = consumer(redis, prefix, "survivor", lambda m: effects.append(m.position) or store.apply(m),
                        reclaim_idle_ms=100)
    await asyncio.sleep(0.15)
    while await survivor.reclaim():
        pass
    audit = store.snapshot()["audit"]
    assert len(audit) == 200 and len({(r[1], r[2]) for r in audit}) == 200  # every event, once
    assert (await redis.xpending(stream, "views"))["pending"] == 0
    assert sorted(set(effects) | set(applied_by_dead)) == list(range(1, 201))
    await redis.aclose()


async def test_a_message_that_keeps_failing_is_parked_and_can_be_retried(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream = event_stream(prefix, "routing")
    await publish(redis, stream, 3)
    store, broken = ViewStore(":memory:"), {2}

    def handler(m: EventMessage) -> bool:
        if m.position in broken:
            raise ValueError("cannot apply position 2")
        return store.apply(m)

    reader = consumer(redis, prefix, "c1", handler, reclaim_idle_ms=50, max_deliveries=3)
    await reader.ensure_groups()
    await reader.read_once()
    for _ in range(4):  # delivered 3 times, then parked
        await asyncio.sleep(0.06)
        await reader.reclaim()
    parked = await list_dead_letters(redis, prefix)
    assert [(p["type"], p["deliveries"]) for p in parked] == [("Noted", "3")]
    assert "cannot apply position 2" in parked[0]["error"]
    assert (await redis.xpending(stream, "views"))["pending"] == 0

    broken.clear()  # the operator fixed the cause; now retry
    await retry_dead_letter(redis, parked[0]["dead_letter_stream"], parked[0]["id"])
    await reader.read_once()
    assert await list_dead_letters(redis, prefix) == []
    assert [r[2] for r in store.snapshot()["audit"]] == [1, 2, 3]
    await redis.aclose()


async def test_a_malformed_entry_is_parked_not_lost(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream = event_stream(prefix, "routing")
    await redis.xadd(stream, {"payload": b"{not json"})
    reader = consumer(redis, prefix, "c1", ViewStore(":memory:").apply, reclaim_idle_ms=10, max_deliveries=1)
    await reader.ensure_groups()
    await reader.read_once()
    await asyncio.sleep(0.02)
    await reader.reclaim()
    parked = await list_dead_letters(redis, prefix)
    assert len(parked) == 1 and "ValidationError" in parked[0]["error"]
    await redis.aclose()
