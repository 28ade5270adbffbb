"""Rebuilds a read model from event 1 into fresh storage and compares it with the live one: the
machinery each service's replay (intake's views, SLA's figures) runs with its own store."""
from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from redis.asyncio import Redis

from shared.events import from_wire
from shared.contracts import SERVICES, EventMessage, event_stream


async def read_stream(redis: Redis, stream: str, chunk: int = 2000):
    """The stream's events from its first entry, a chunk at a time."""
    start = "-"
    while True:
        entries = await redis.xrange(stream, min=start, max="+", count=chunk)
        if entries:
            yield [from_wire(fields) for _, fields in entries]
        if len(entries) < chunk:
            return
        start = "(" + entries[-1][0].decode()


class EventSource(Protocol):
    """Where a rebuild reads each service's published events from event 1."""

    async def total(self, service: str) -> int: ...
    def chunks(self, service: str) -> AsyncIterator[list[EventMessage]]: ...


class StreamSource:
    """The Redis streams: complete only while nothing was trimmed (the services trim them, see
    shared/messaging/trimming.py), so `sop replay` reads the stores (system/stored_messages.py) and this
    serves the in-memory stores of a test or a benchmark."""

    def __init__(self, redis: Redis, prefix: str):
        self.redis, self.prefix = redis, prefix

    async def total(self, service: str) -> int:
        return int(await self.redis.xlen(event_stream(self.prefix, service)))

    def chunks(self, service: str) -> AsyncIterator[list[EventMessage]]:
        return read_stream(self.redis, event_stream(self.prefix, service))


@dataclass
class ReplayReport:
    events: int = 0
    applied: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    differences: dict[str, list[str]] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        return not any(self.differences.values())


class Rebuildable(Protocol):
    def scratch(self) -> None: ...
    def apply_batch(self, messages: list[EventMessage]) -> dict[int, str]: ...
    def heads(self) -> dict[str, int]: ...
    def snapshot(self) -> dict[str, list[tuple]]: ...


Progress = Callable[[int, int], None]  # (events read, events on the streams when the rebuild began)


def no_progress(done: int, total: int) -> None:
    pass


async def rebuild(source: EventSource, fresh: Rebuildable, sources: Sequence[str] = SERVICES,
                  progress: Progress = no_progress) -> ReplayReport:
    """Every source's events into `fresh`, one transaction per chunk read, as its follower applies them."""
    report, distinct = ReplayReport(), set()
    total = sum([await source.total(service) for service in sources])
    progress(0, total)
    for service in sources:
        async for chunk in source.chunks(service):
            failed = fresh.apply_batch(chunk)
            report.events += len(chunk)
            progress(report.events, max(total, report.events))
            report.differences.setdefault("failed", []).extend(
                f"{chunk[n].source} {chunk[n].position}: {error}" for n, error in failed.items())
            distinct.update((m.source, m.position) for n, m in enumerate(chunk) if n not in failed)
    report.applied = len(distinct)
    return report


def compare(live: Rebuildable, fresh: Rebuildable, report: ReplayReport, limit: int = 20) -> ReplayReport:
    live_rows, fresh_rows = live.snapshot(), fresh.snapshot()
    for table, rows in fresh_rows.items():
        report.rows[table] = len(rows)
        if rows == live_rows[table]:  # both in the same order: most often equal, without a set of each
            report.differences[table] = []
            continue
        only_live = sorted(set(live_rows[table]) - set(rows))
        only_fresh = sorted(set(rows) - set(live_rows[table]))
        report.differences[table] = (
            [f"live only: {r}" for r in only_live[:limit]] + [f"replay only: {r}" for r in only_fresh[:limit]]
        )
    return report


@contextmanager
def long_lived_set_aside() -> Iterator[None]:
    """The objects alive when a rebuild starts (modules, the SOP library, the stores: some 200,000) set
    aside from the cyclic collector until it ends: its passes over them, every few thousand objects a
    rebuild makes, cost a third of the rebuild's time. What the rebuild makes is still collected."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


async def replay_into(
    source: EventSource, live: Rebuildable, make_fresh: Callable[[], Rebuildable], sources: Sequence[str],
    fresh_path: Path | str = ":memory:", settle_s: float = 10, progress: Progress = no_progress,
) -> ReplayReport:
    """Rebuilds into fresh storage until it has read exactly as far as the live read model
    (a running system keeps publishing), then compares the two."""
    deadline = time.monotonic() + settle_s
    with long_lived_set_aside():
        while True:
            if str(fresh_path) != ":memory:":
                Path(fresh_path).unlink(missing_ok=True)
            fresh = make_fresh()
            fresh.scratch()  # deleted here before each try, compared, never served
            report = await rebuild(source, fresh, sources, progress)
            if fresh.heads() == live.heads() or time.monotonic() > deadline:
                return compare(live, fresh, report)
            await asyncio.sleep(0.2)
