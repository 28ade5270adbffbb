"""Follows one upstream stream in order, a batch at a time, into a store that tracks its position.

One reader per (group, stream), on faststream's stream subscriber without a consumer group: a
read model must see a stream in the order it was written, and competing consumers cannot give
that. So there is nothing to acknowledge, nothing pending, and nothing for a claimer to take over
from a dead process: the store records the position of each applied event in the same transaction
as its effect (`apply` answers what failed), and the follower skips what is at or below the head
it read from that store at start. Where to resume reading is only a hint, kept in Redis at most once
a second: if it is lost (a flush) or old (a crash), reading starts earlier and the positions skip what
was applied.

A batch `apply` refuses as a whole (the store is down) is tried again until it goes through,
since skipping it would break the order. An event that fails on its own is tried again
`max_attempts` times and then parked in the group's dead-letter stream, with its error, where
`sop dead-letters` shows it; one sent back from there (`retried_for` names the group that parked it)
is applied by that group even though it lies below the head, and the store's own uniqueness on
(source, position) keeps it once. Every other group skips it as any event below its head.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from faststream.redis import RedisBroker, StreamSub
from redis.asyncio import Redis

from shared.contracts import EventMessage
from shared.events import from_wire
from shared.messaging.keys import follower_hint_key, followers_key

log = logging.getLogger(__name__)
# Applies what it is given in order, in one transaction; answers {index: error} of those that failed alone.
ApplyBatch = Callable[[list[EventMessage]], dict[int, str]]


class Follower:
    def __init__(self, redis: Redis, source: str, stream: str, group: str, apply: ApplyBatch, head: Callable[[str], int],
                 dead_letters: str, *, max_attempts: int = 5, batch: int = 200, retry_s: float = 0.2,
                 hint_every_s: float = 1.0):
        self.redis, self.source, self.stream, self.group, self.apply = redis, source, stream, group, apply
        self.head_of, self.dead_letters = head, dead_letters
        self.max_attempts, self.batch, self.retry_s, self.hint_every_s = max_attempts, batch, retry_s, hint_every_s
        self.hinted_at, self.last_entry, self.read = 0.0, None, 0
        self.resume_key = follower_hint_key(stream, group)
        self.heads: dict[str, int] = {}
        self.applied = 0
        self.on_applied: Callable[[int], None] = lambda n: None

    async def subscribe(self, broker: RedisBroker) -> None:
        """Registers the reader on the bus, resuming after the last batch this group applied."""
        await self.redis.sadd(followers_key(self.stream), self.group)  # the trimmer now waits for this group
        resume = await self.redis.get(self.resume_key)
        sub = StreamSub(self.stream, batch=True, max_records=self.batch, polling_interval=1000,
                        last_id=resume.decode() if resume else "0-0")

        async def entries(message: Any) -> list[tuple[bytes, dict]]:  # the raw fields: from_wire types them
            return list(zip(message.raw_message["message_ids"], message.raw_message["data"]))

        @broker.subscriber(stream=sub, decoder=entries, title=f"{self.group}:{self.stream}")
        async def follow(batch: list) -> None:
            await self.take(batch)

    async def take(self, entries: list[tuple[bytes, dict]]) -> None:
        fresh: list[tuple[bytes, dict, EventMessage]] = []
        for entry_id, fields in entries:
            try:
                m = from_wire(fields)
            except Exception as exc:  # not an event at all: nothing to retry
                await self.park(entry_id, fields, f"{type(exc).__name__}: {exc}", 1)
                continue
            if m.position > self.head(m.source) or fields.get(b"retried_for") == self.group.encode():
                fresh.append((entry_id, fields, m))
        await self._apply(fresh)
        for _, _, m in fresh:
            self.heads[m.source] = max(self.head(m.source), m.position)
        self.read += len(entries)
        if entries:
            self.last_entry = entries[-1][0]
        if entries and time.monotonic() - self.hinted_at >= self.hint_every_s:
            await self.hint()  # not after every batch: a round trip would cost more than a small batch

    async def hint(self) -> None:
        """Where the next reader of this group starts: after the last entry read (on stop, too)."""
        if self.last_entry is not None:
            self.hinted_at = time.monotonic()
            # Registered again with every hint: a flush forgets the set, and the trimmer must not
            # take this group's silence for its absence for longer than the stream's retention.
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.set(self.resume_key, self.last_entry)
                pipe.sadd(followers_key(self.stream), self.group)
                await pipe.execute()

    def head(self, source: str) -> int:
        if source not in self.heads:
            self.heads[source] = self.head_of(source) or 0
        return self.heads[source]

    async def _apply(self, fresh: list[tuple[bytes, dict, EventMessage]]) -> None:
        pending, attempt = fresh, 1
        while pending:
            try:
                failed = self.apply([m for _, _, m in pending])
            except Exception:  # the store refused the whole batch: not the events' fault, so never skip
                log.exception("%s: could not apply a batch of %s; trying again", self.group, self.stream)
                await asyncio.sleep(self.retry_s)
                continue
            self.applied += len(pending) - len(failed)
            self.on_applied(len(pending) - len(failed))
            if failed and attempt >= self.max_attempts:
                for n, error in failed.items():
                    await self.park(pending[n][0], pending[n][1], error, attempt)
                return
            for n, error in failed.items():
                log.warning("%s: %s %s failed (attempt %d): %s", self.group, self.stream, pending[n][0], attempt, error)
            pending, attempt = [pending[n] for n in sorted(failed)], attempt + 1
            if pending:
                await asyncio.sleep(self.retry_s * attempt)

    async def park(self, entry_id: bytes, fields: dict, error: str, attempts: int) -> None:
        await self.redis.xadd(self.dead_letters, {
            **{k: v for k, v in fields.items() if k not in (b"retried_for", "retried_for")},
            "original_stream": self.stream, "original_id": entry_id, "group": self.group,
            "deliveries": attempts, "error": error[:2000]})
