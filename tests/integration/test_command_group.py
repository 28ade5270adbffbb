"""Routing's command group against the real Redis: nothing sent before it started, nothing a dead process
left pending, and nothing after a Redis flush is lost."""
from __future__ import annotations

import asyncio

import pytest
from faststream.redis import RedisBroker
from redis.asyncio import Redis

from shared.contracts import StepCommand, command_stream
from shared.messaging.commands import command_subscribers, ensure_groups, revive
from tests.integration.test_command_replies import command
from tests.integration.test_messaging import until

pytestmark = pytest.mark.integration


async def routing_like(url: str, stream: str, handled: list[str], claim_after_ms: int = 200) -> RedisBroker:
    broker = RedisBroker(url)

    async def handle(c: StepCommand) -> None:
        handled.append(c.command_id)

    command_subscribers(broker, stream, "routing", "routing-2", handle, claim_after_ms)
    redis = Redis.from_url(url)
    await ensure_groups(broker, redis)
    await redis.aclose()
    await broker.start()
    return broker


async def test_commands_sent_early_or_left_pending_by_a_dead_process_are_handled(clean_redis, prefix):
    redis, stream, handled = Redis.from_url(clean_redis), command_stream(prefix), []
    sender = RedisBroker(clean_redis)
    await sender.connect()
    for n in (1, 2, 3):
        await sender.publish(command(n), stream=stream)  # before any routing process has run
    await redis.xgroup_create(stream, "routing", id="0")
    await redis.xreadgroup("routing", "routing-1", {stream: ">"}, count=1)  # routing-1 takes c1, then dies
    broker = await routing_like(clean_redis, stream, handled)
    await until(lambda: sorted(handled) == ["c1", "c2", "c3"])  # c2, c3 read; c1 claimed after 200 ms
    assert (await redis.xpending(stream, "routing"))["pending"] == 0
    await broker.stop()
    await sender.stop()
    await redis.aclose()


async def test_a_subscriber_whose_group_was_flushed_is_started_again(clean_redis, prefix):
    redis, stream, handled = Redis.from_url(clean_redis), command_stream(prefix), []
    broker = await routing_like(clean_redis, stream, handled)
    await redis.delete(stream)  # what FLUSHALL does to it
    await until(lambda: not all(sub.running for sub in broker.subscribers))  # faststream gave up: NOGROUP
    assert await revive(broker, redis) >= 1
    sender = RedisBroker(clean_redis)
    await sender.connect()
    await sender.publish(command(7), stream=stream)
    await until(lambda: handled == ["c7"])
    await asyncio.sleep(0.1)
    await broker.stop()
    await sender.stop()
    await redis.aclose()
