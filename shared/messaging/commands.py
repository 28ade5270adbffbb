"""Commands on the bus: a consumer group of the handling service's processes, created at 0, a claimer
for entries a dead process left pending, and a restart for subscribers Redis took the group from.

faststream reads a group with `StreamSub(group=, consumer=)` but creates a missing group at `$` (what
was sent before it skips), never takes over what a dead consumer left pending, and stops a subscriber
for good when the group vanishes (a Redis flush: "restart the application"). Its claimer is a second
subscriber of the group with `min_idle_time` (XAUTOCLAIM); the rest is here.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from faststream.redis import RedisBroker, StreamSub
from redis.asyncio import Redis
from redis.exceptions import ResponseError

log = logging.getLogger(__name__)


def claim_after_ms(command_timeout_s: float) -> int:
    """How long an entry waits pending before a live process of its group takes it over: twice the
    gateway's wait, so a command still being handled in time is never taken from its process."""
    return int(command_timeout_s * 2000)


def command_subscribers(broker: RedisBroker, stream: str, group: str, consumer: str,
                        handle: Callable[[Any], Awaitable[Any]], claim_after_ms: int) -> None:
    """`handle` answers each command of `stream` (its return value is the reply); an entry left pending
    longer than `claim_after_ms` by a process that died is claimed and handled here."""
    broker.subscriber(stream=StreamSub(stream, group=group, consumer=consumer), title=f"{group}:{stream}")(handle)
    claimer = StreamSub(stream, group=group, consumer=consumer, min_idle_time=claim_after_ms,
                        polling_interval=max(100, claim_after_ms // 4))
    broker.subscriber(stream=claimer, title=f"{group}:{stream}:claimer")(handle)


async def ensure_group(redis: Redis, stream: str, group: str) -> None:
    try:
        await redis.xgroup_create(stream, group, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


async def ensure_groups(broker: RedisBroker, redis: Redis) -> None:
    """Every group a subscriber of `broker` reads, created at 0 if missing."""
    for sub in broker.subscribers:
        stream = getattr(sub, "stream_sub", None)
        if stream is not None and stream.group:
            await ensure_group(redis, stream.name, stream.group)


async def revive(broker: RedisBroker, redis: Redis) -> int:
    """Starts again the subscribers that stopped (their group vanished); how many."""
    stopped = [sub for sub in broker.subscribers if not sub.running]
    if stopped:
        await ensure_groups(broker, redis)
    for sub in stopped:
        log.warning("restarting %s: its consumer group was gone", getattr(sub, "stream_sub", sub))
        await sub.start()
    return len(stopped)
