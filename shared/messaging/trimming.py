"""Keeps the streams bounded: an entry goes only when every reader of its stream is past it.

The streams are a transport, not the record: every event stays in its service's own store, where the
relay read it and where `sop replay` rebuilds any read model from event 1. So an entry may go once
each of its readers has applied it, and no sooner:
- an event stream is read in order by followers without a consumer group; each registers in the
  stream's followers set and hints the last entry it applied. Trimming waits while the set is empty
  or any member has not hinted yet (a new read model, or one that lost its hint in a flush);
- a command stream is read by consumer groups: an entry goes once every group has had it delivered
  and acknowledged (below its lowest pending entry and its last delivered one).
On top, nothing younger than `retain_s` goes (by Redis's own clock, which made the ids): after a
flush the followers register again within a second of reading, and the window covers them.

`XTRIM MINID ~` lets Redis cut whole nodes of the stream only, so it never removes more than asked
and costs little; the remainder goes on a later pass.
"""
from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from shared.messaging.keys import follower_hint_key, followers_key


def _id(value: bytes | str) -> tuple[int, int]:
    text = value.decode() if isinstance(value, bytes) else value
    ms, _, seq = text.partition("-")
    return int(ms), int(seq or 0)


async def _window_floor(redis: Redis, retain_s: float) -> tuple[int, int]:
    seconds, micros = await redis.time()
    return int(seconds * 1000 + micros // 1000 - retain_s * 1000), 0


async def followed_floor(redis: Redis, stream: str) -> tuple[int, int] | None:
    """The oldest entry some follower of `stream` has yet to pass; None while that is not known."""
    groups = sorted(g.decode() for g in await redis.smembers(followers_key(stream)))
    if not groups:
        return None
    hints = await redis.mget([follower_hint_key(stream, g) for g in groups])
    if any(h is None for h in hints):
        return None
    return min(_id(h) for h in hints)


async def consumed_floor(redis: Redis, stream: str) -> tuple[int, int] | None:
    """The oldest entry some consumer group of `stream` has not acknowledged; None without groups."""
    try:
        groups = await redis.xinfo_groups(stream)
    except ResponseError:  # no such stream yet
        return None
    if not groups:
        return None
    floors = []
    for group in groups:
        floor = _id(group["last-delivered-id"])
        if group["pending"]:
            pending = await redis.xpending(stream, group["name"])
            floor = min(floor, _id(pending["min"]))
        floors.append(floor)
    return min(floors)


async def trim(redis: Redis, stream: str, floor: tuple[int, int] | None, retain_s: float) -> int:
    """Removes entries of `stream` below `floor` and older than `retain_s`; how many went."""
    if floor is None:
        return 0
    ms, seq = min(floor, await _window_floor(redis, retain_s))
    if ms <= 0:
        return 0
    return int(await redis.xtrim(stream, minid=f"{ms}-{seq}", approximate=True))


class StreamTrimmer:
    """Trims the streams one service is answerable for: the one its relay writes, the ones it consumes."""

    def __init__(self, redis: Redis, followed: list[str], consumed: list[str], retain_s: float):
        self.redis, self.followed, self.consumed, self.retain_s = redis, followed, consumed, retain_s
        self.trimmed: dict[str, int] = {}

    async def run_once(self) -> dict[str, int]:
        done = {}
        for stream in self.followed:
            done[stream] = await trim(self.redis, stream, await followed_floor(self.redis, stream), self.retain_s)
        for stream in self.consumed:
            done[stream] = await trim(self.redis, stream, await consumed_floor(self.redis, stream), self.retain_s)
        for stream, n in done.items():
            self.trimmed[stream] = self.trimmed.get(stream, 0) + n
        return done
