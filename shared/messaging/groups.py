"""The consumer groups a service reads its commands through, looked at from outside the subscribers:
is each group there, is anything stuck in it, and which consumers are gone for good.

A pending entry older than the claimer's idle time should have been taken over; one left much longer
means no live process of the group is claiming, which /health/ready reports. A consumer whose process
died stays in its group forever (its name carries the PID): once it holds nothing and has been idle
for `forget_after_ms`, it is deleted so that XINFO and the metrics list the living.
"""
from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import ResponseError


@dataclass(frozen=True)
class GroupState:
    stream: str
    group: str
    exists: bool
    pending: int = 0
    stuck: int = 0  # pending entries idle longer than the stuck limit


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


async def group_state(redis: Redis, stream: str, group: str, stuck_after_ms: int) -> GroupState:
    try:
        groups = {_text(g["name"]): g for g in await redis.xinfo_groups(stream)}
    except ResponseError:  # the stream itself is gone (a flush)
        return GroupState(stream, group, exists=False)
    if group not in groups:
        return GroupState(stream, group, exists=False)
    pending = int(groups[group]["pending"])
    stuck = 0
    if pending:
        stuck = len(await redis.xpending_range(stream, group, min="-", max="+", count=100, idle=stuck_after_ms))
    return GroupState(stream, group, exists=True, pending=pending, stuck=stuck)


async def forget_dead_consumers(redis: Redis, stream: str, group: str, forget_after_ms: int,
                                keep: str | None = None) -> int:
    """Deletes the consumers of `group` that hold nothing and were idle `forget_after_ms`; how many."""
    try:
        consumers = await redis.xinfo_consumers(stream, group)
    except ResponseError:
        return 0
    gone = 0
    for consumer in consumers:
        name = _text(consumer["name"])
        if name != keep and not consumer["pending"] and consumer["idle"] >= forget_after_ms:
            await redis.xgroup_delconsumer(stream, group, name)
            gone += 1
    return gone
