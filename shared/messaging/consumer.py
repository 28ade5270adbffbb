"""A consumer-group reader that loses nothing and applies nothing twice.

Groups are created at the start of the stream (id 0), not at `$`. The handler
must be idempotent itself: it records what it processed in the same transaction
as its effect. Entries left pending by a dead consumer, or by a handler that
raised, are claimed again after `reclaim_idle_ms`; one delivered
`max_deliveries` times is parked in the group's dead-letter stream.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from shared.events import from_wire
from shared.contracts import EventMessage
from shared.messaging.deadletters import park

log = logging.getLogger(__name__)
Handler = Callable[[EventMessage], object]
# A read model that applies a whole read in one transaction: answers {index: error} of what failed.
BatchHandler = Callable[[list[EventMessage]], dict[int, str]]


class GroupConsumer:
    def __init__(
        self, redis: Redis, streams: list[str], group: str, consumer: str, handler: Handler,
        dead_letters: str, *, max_deliveries: int = 5, reclaim_idle_ms: int = 10_000,
        batch: int = 100, block_ms: int = 1000, batch_handler: BatchHandler | None = None,
    ):
        self.redis, self.streams, self.group, self.consumer = redis, streams, group, consumer
        self.handler, self.batch_handler, self.dead_letters = handler, batch_handler, dead_letters
        self.max_deliveries, self.reclaim_idle_ms = max_deliveries, reclaim_idle_ms
        self.batch, self.block_ms = batch, block_ms
        self.errors: dict[bytes, str] = {}
        self.processed = 0

    async def ensure_groups(self) -> None:
        for stream in self.streams:
            try:
                await self.redis.xgroup_create(stream, self.group, id="0", mkstream=True)
            except ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise

    async def run(self, stopping: asyncio.Event) -> None:
        await self.ensure_groups()
        next_reclaim = 0.0
        while not stopping.is_set():
            try:
                if time.monotonic() >= next_reclaim:
                    await self.reclaim()
                    next_reclaim = time.monotonic() + self.reclaim_idle_ms / 2000
                await self.read_once()
            except Exception:
                log.exception("consumer %s/%s failed; retrying", self.group, self.consumer)
                await asyncio.sleep(1)

    async def read_once(self) -> int:
        replies = await self.redis.xreadgroup(
            self.group, self.consumer, {s: ">" for s in self.streams}, count=self.batch, block=self.block_ms
        )
        for stream, entries in replies or []:
            await self._apply(stream, entries)
        return sum(len(e) for _, e in replies or [])

    async def reclaim(self) -> int:
        claimed = 0
        for stream in self.streams:
            pending = await self.redis.xpending_range(
                stream, self.group, min="-", max="+", count=self.batch, idle=self.reclaim_idle_ms
            )
            retry = []
            for entry in pending:
                if entry["times_delivered"] >= self.max_deliveries:
                    error = self.errors.pop(entry["message_id"], "delivered too often without success")
                    await park(self.redis, self.dead_letters, stream, self.group, entry, error)
                else:
                    retry.append(entry["message_id"])
            if retry:
                entries = await self.redis.xclaim(
                    stream, self.group, self.consumer, min_idle_time=self.reclaim_idle_ms, message_ids=retry
                )
                await self._apply(stream, [e for e in entries if e[1] is not None])
                claimed += len(entries)
        return claimed

    async def _apply(self, stream: bytes | str, entries: list) -> None:
        done = self._apply_batch(stream, entries) if self.batch_handler else self._apply_each(stream, entries)
        if done:
            await self.redis.xack(stream, self.group, *done)
            self.processed += len(done)

    def _apply_batch(self, stream: bytes | str, entries: list) -> list:
        parsed, ids = [], []
        for entry_id, fields in entries:
            try:
                parsed.append(from_wire(fields))
                ids.append(entry_id)
            except Exception as exc:  # not a message at all: left pending, parked at the limit
                self._failed(stream, entry_id, f"{type(exc).__name__}: {exc}")
        failed = self.batch_handler(parsed) if parsed else {}
        for n, error in failed.items():
            self._failed(stream, ids[n], error)
        return [entry_id for n, entry_id in enumerate(ids) if n not in failed]

    def _failed(self, stream: bytes | str, entry_id: bytes, error: str) -> None:
        self.errors[entry_id] = error
        log.warning("%s: %s %s failed: %s", self.group, stream, entry_id, error)

    def _apply_each(self, stream: bytes | str, entries: list) -> list:
        done = []
        for entry_id, fields in entries:
            try:
                self.handler(from_wire(fields))
            except Exception as exc:  # left pending: retried after reclaim_idle_ms, parked at the limit
                self.errors[entry_id] = f"{type(exc).__name__}: {exc}"
                log.warning("%s: %s %s failed: %s", self.group, stream, entry_id, exc)
                continue
            done.append(entry_id)
        return done
