"""Streams are trimmed past what every reader applied, and never past a reader that has not said."""
from __future__ import annotations

import pytest
from redis.asyncio import Redis

from shared.messaging.keys import follower_hint_key, followers_key
from shared.messaging.trimming import StreamTrimmer, consumed_floor, followed_floor

pytestmark = pytest.mark.integration


async def fill(redis: Redis, stream: str, count: int) -> list[bytes]:
    async with redis.pipeline(transaction=False) as pipe:
        for n in range(count):
            pipe.xadd(stream, {"n": n})
        return await pipe.execute()


async def test_an_event_stream_keeps_what_its_slowest_follower_has_not_applied(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream = f"{prefix}.routing.events"
    ids = await fill(redis, stream, 1000)
    trimmer = StreamTrimmer(redis, [stream], [], retain_s=0)

    assert await trimmer.run_once() == {stream: 0}  # nobody registered: a read model may be on its way
    await redis.sadd(followers_key(stream), "fast", "slow")
    await redis.set(follower_hint_key(stream, "fast"), ids[900])
    assert await trimmer.run_once() == {stream: 0}  # "slow" has not said where it is

    await redis.set(follower_hint_key(stream, "slow"), ids[450])
    trimmed = (await trimmer.run_once())[stream]
    left = [entry_id for entry_id, _ in await redis.xrange(stream)]
    assert trimmed > 0 and len(left) == 1000 - trimmed
    assert set(ids[450:]) <= set(left)  # nothing the slow follower has yet to read
    assert await followed_floor(redis, stream) == (int(ids[450].split(b"-")[0]), int(ids[450].split(b"-")[1]))
    await redis.aclose()


async def test_nothing_younger_than_the_retention_window_goes(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream = f"{prefix}.intake.events"
    ids = await fill(redis, stream, 500)
    await redis.sadd(followers_key(stream), "views")
    await redis.set(follower_hint_key(stream, "views"), ids[-1])
    assert await StreamTrimmer(redis, [stream], [], retain_s=3600).run_once() == {stream: 0}
    assert await redis.xlen(stream) == 500
    await redis.aclose()


async def test_a_command_stream_keeps_what_a_group_has_pending_or_not_yet_read(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream = f"{prefix}.routing.commands"
    ids = await fill(redis, stream, 600)
    await redis.xgroup_create(stream, "routing", id="0")
    await redis.xgroup_create(stream, "audit", id="0")
    read = await redis.xreadgroup("routing", "c1", {stream: ">"}, count=500)
    delivered = [entry_id for entry_id, _ in read[0][1]]
    await redis.xack(stream, "routing", *delivered[:300])  # 300..499 delivered, not acknowledged
    await redis.xreadgroup("audit", "c1", {stream: ">"}, count=600)
    await redis.xack(stream, "audit", *ids)

    trimmer = StreamTrimmer(redis, [], [stream], retain_s=0)
    trimmed = (await trimmer.run_once())[stream]
    left = {entry_id for entry_id, _ in await redis.xrange(stream)}
    assert trimmed > 0 and set(ids[300:]) <= left  # pending ones and the unread stay
    assert await consumed_floor(redis, stream) is not None

    await redis.xack(stream, "routing", *delivered[300:])
    await redis.xreadgroup("routing", "c1", {stream: ">"}, count=600)
    await redis.xack(stream, "routing", *ids[500:])
    await trimmer.run_once()
    assert await redis.xlen(stream) < len(left)  # all read and acknowledged: it shrinks to the last node
    assert ids[-1] in {entry_id for entry_id, _ in await redis.xrange(stream)}
    await redis.aclose()


async def test_a_stream_with_no_groups_or_no_stream_is_left_alone(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream = f"{prefix}.routing.case-commands"
    assert await consumed_floor(redis, stream) is None
    await fill(redis, stream, 10)
    assert await StreamTrimmer(redis, [], [stream], retain_s=0).run_once() == {stream: 0}
    await redis.aclose()
