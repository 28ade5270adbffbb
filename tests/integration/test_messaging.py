"""Followers on the bus against the real Redis: in order, nothing lost, nothing applied twice."""
from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone

import pytest
from faststream.redis import RedisBroker
from redis.asyncio import Redis

from services.intake.views.store import ViewStore
from shared.contracts import EventMessage, dead_letter_stream, event_stream
from shared.messaging.deadletters import list_dead_letters, retry_dead_letter
from shared.messaging.follower import Follower

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)


def message(position: int, source: str = "routing") -> EventMessage:
    return EventMessage(event_id=f"e{position}", type="Noted", source=source, position=position,
                        case_id=f"case-{position % 7}", sop_id="sop-a", sop_version=1,
                        occurred_at=NOW, recorded_at=NOW)


async def publish(redis: Redis, stream: str, count: int, first: int = 1) -> None:
    async with redis.pipeline(transaction=False) as pipe:
        for position in range(first, first + count):
            pipe.xadd(stream, message(position).to_wire())
        await pipe.execute()


def follower(redis: Redis, prefix: str, store: ViewStore, apply=None, **kwargs) -> Follower:
    return Follower(redis, "routing", event_stream(prefix, "routing"), "views", apply or store.apply_batch,
                    store.head, dead_letter_stream(prefix, "views"), retry_s=0.01, **kwargs)


async def until(check, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def following(url: str, *followers: Follower) -> RedisBroker:
    broker = RedisBroker(url)
    for f in followers:
        await f.subscribe(broker)
    await broker.start()
    return broker


def positions(store: ViewStore) -> list[int]:
    return [row[2] for row in store.snapshot()["audit"]]


async def test_reads_from_the_first_entry_in_order_and_resumes_after_the_last_batch(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream = event_stream(prefix, "routing")
    await publish(redis, stream, 450)  # published before anyone followed
    store, seen = ViewStore(":memory:"), []

    def apply(batch):
        seen.extend(m.position for m in batch)
        return store.apply_batch(batch)

    first = follower(redis, prefix, store, apply)
    broker = await following(clean_redis, first)
    await until(lambda: len(seen) == 450)
    assert seen == list(range(1, 451))  # in the order written, each once, in batches
    await broker.stop()
    await first.hint()  # as Runtime.stop does

    await publish(redis, stream, 50, first=451)
    again = follower(redis, prefix, store, apply)
    broker = await following(clean_redis, again)
    await until(lambda: len(seen) == 500)
    assert seen == list(range(1, 501))
    assert again.read == 50  # a restart reads on from where it stopped, not from 0
    await broker.stop()
    await redis.aclose()


async def test_a_lost_resume_hint_rereads_and_skips_what_the_store_holds(clean_redis, prefix):
    """After a Redis flush the relays publish again from 1: positions, not stream ids, decide."""
    redis = Redis.from_url(clean_redis)
    stream = event_stream(prefix, "routing")
    await publish(redis, stream, 100)
    store = ViewStore(":memory:")
    first = follower(redis, prefix, store)
    broker = await following(clean_redis, first)
    await until(lambda: first.applied == 100)
    await broker.stop()
    await redis.delete(stream, first.resume_key)  # the flush
    await publish(redis, stream, 120)  # republished from position 1, and 20 new ones
    again = follower(redis, prefix, store)
    broker = await following(clean_redis, again)
    await until(lambda: len(positions(store)) == 120)
    assert positions(store) == list(range(1, 121)) and again.applied == 20
    await broker.stop()
    await redis.aclose()


async def test_a_message_that_keeps_failing_is_parked_and_can_be_retried(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream = event_stream(prefix, "routing")
    await publish(redis, stream, 3)
    store, broken, attempts = ViewStore(":memory:"), {2}, []

    def apply(batch):
        attempts.extend(m.position for m in batch)
        failed = {n: "ValueError: cannot apply position 2" for n, m in enumerate(batch) if m.position in broken}
        store.apply_batch([m for m in batch if m.position not in broken])
        return failed

    reader = follower(redis, prefix, store, apply, max_attempts=3)
    broker = await following(clean_redis, reader)
    await until(lambda: attempts.count(2) == 3)
    await until(lambda: bool(store.snapshot()["audit"]) and reader.heads.get("routing") == 3)
    parked = await list_dead_letters(redis, prefix)
    assert [(p["type"], p["deliveries"]) for p in parked] == [("Noted", "3")]
    assert "cannot apply position 2" in parked[0]["error"]
    assert positions(store) == [1, 3]  # the rest went on

    broken.clear()  # the operator fixed the cause; now retry
    await retry_dead_letter(redis, parked[0]["dead_letter_stream"], parked[0]["id"])
    await until(lambda: len(positions(store)) == 3)
    assert sorted(positions(store)) == [1, 2, 3] and await list_dead_letters(redis, prefix) == []
    await retry_dead_letter_again(redis, stream)
    await asyncio.sleep(0.3)
    assert len(positions(store)) == 3  # sent back twice: still applied once
    await broker.stop()
    await redis.aclose()


async def retry_dead_letter_again(redis: Redis, stream: str) -> None:
    fields = {k.decode(): v for k, v in (await redis.xrange(stream))[-1][1].items()}
    await redis.xadd(stream, fields)


async def test_a_store_that_refuses_a_batch_is_tried_again_never_skipped(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    await publish(redis, event_stream(prefix, "routing"), 10)
    store, refusals = ViewStore(":memory:"), [2]

    def apply(batch):
        if refusals[0]:
            refusals[0] -= 1
            raise OSError("database is locked")
        return store.apply_batch(batch)

    broker = await following(clean_redis, follower(redis, prefix, store, apply))
    await until(lambda: len(positions(store)) == 10)
    assert positions(store) == list(range(1, 11)) and await list_dead_letters(redis, prefix) == []
    await broker.stop()
    await redis.aclose()


async def test_a_malformed_entry_is_parked_not_lost(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream = event_stream(prefix, "routing")
    await redis.xadd(stream, {"payload": b"{not json"})
    await publish(redis, stream, 1)
    store = ViewStore(":memory:")
    broker = await following(clean_redis, follower(redis, prefix, store))
    await until(lambda: positions(store) == [1])
    parked = await list_dead_letters(redis, prefix)
    assert len(parked) == 1 and "ValidationError" in parked[0]["error"]
    await broker.stop()
    await redis.aclose()


async def test_a_retried_dead_letter_goes_to_the_group_that_parked_it_only(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream = event_stream(prefix, "routing")
    await publish(redis, stream, 3)
    views, broken = ViewStore(":memory:"), {2}
    other, other_saw = ViewStore(":memory:"), []

    def fragile(batch):
        views.apply_batch([m for m in batch if m.position not in broken])
        return {n: "ValueError: broken" for n, m in enumerate(batch) if m.position in broken}

    def counting(batch):
        other_saw.extend(m.position for m in batch)
        return other.apply_batch(batch)

    parked_by = follower(redis, prefix, views, fragile, max_attempts=1)
    bystander = Follower(redis, "routing", stream, "other", counting, other.head, dead_letter_stream(prefix, "other"))
    broker = await following(clean_redis, parked_by, bystander)
    await until(lambda: len(other_saw) == 3 and parked_by.heads.get("routing") == 3)
    parked = await list_dead_letters(redis, prefix)
    assert [p["group"] for p in parked] == ["views"]

    broken.clear()
    await retry_dead_letter(redis, parked[0]["dead_letter_stream"], parked[0]["id"])
    await until(lambda: sorted(positions(views)) == [1, 2, 3])
    await until(lambda: bystander.read == 4)  # the bystander read the copy ...
    assert other_saw == [1, 2, 3] and await list_dead_letters(redis, prefix) == []  # ... and skipped it
    await broker.stop()
    await redis.aclose()
