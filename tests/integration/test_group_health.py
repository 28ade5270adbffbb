"""What readiness sees of a consumer group: missing, stuck entries, and consumers of dead processes."""
from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from shared.messaging.groups import forget_dead_consumers, group_state

pytestmark = pytest.mark.integration


async def test_a_missing_group_and_entries_nobody_claims_are_seen(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream = f"{prefix}.routing.commands"
    assert not (await group_state(redis, stream, "routing", 1000)).exists  # no stream at all (a flush)
    for n in range(5):
        await redis.xadd(stream, {"n": n})
    assert not (await group_state(redis, stream, "routing", 1000)).exists

    await redis.xgroup_create(stream, "routing", id="0")
    await redis.xreadgroup("routing", "routing-host-4711", {stream: ">"}, count=3)  # that process dies here
    fresh = await group_state(redis, stream, "routing", 60_000)
    assert fresh.exists and fresh.pending == 3 and fresh.stuck == 0  # not stuck yet: a claimer may come
    await asyncio.sleep(0.05)
    assert (await group_state(redis, stream, "routing", 10)).stuck == 3
    await redis.aclose()


async def test_only_consumers_that_hold_nothing_and_are_long_silent_are_forgotten(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream = f"{prefix}.routing.commands"
    await redis.xadd(stream, {"n": 1})
    await redis.xgroup_create(stream, "routing", id="0")
    await redis.xreadgroup("routing", "holds-one", {stream: ">"}, count=1)
    await redis.xgroup_createconsumer(stream, "routing", "holds-none")  # its process died having read nothing
    await redis.xgroup_createconsumer(stream, "routing", "me")
    await asyncio.sleep(0.05)
    assert await forget_dead_consumers(redis, stream, "routing", 10_000) == 0  # not silent long enough
    assert await forget_dead_consumers(redis, stream, "routing", 10, keep="me") == 1
    left = {c["name"] for c in await redis.xinfo_consumers(stream, "routing")}
    assert left == {b"holds-one", b"me"}  # its pending entry stays with it for the claimer
    await redis.aclose()
