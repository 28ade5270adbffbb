"""The replay figure of `make bench`: intake's register and audit trails rebuilt from event 1 of every
stream, beside only reading and decoding those same streams, in the same run (goal: ≥ 50,000 events/s).

Measured on the system after its closed loop, before its open loop: the streams then hold every event
of that run's cases.
"""
from __future__ import annotations

import asyncio
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from shared.contracts import SERVICES, event_stream
from shared.replay import long_lived_set_aside, read_stream
from shared.runtime import connect_redis
from tests.benchmarks.live import timed_replay
from tests.benchmarks.system import REDIS_URL

GOAL_EVENTS_PER_S = 50_000


async def timed_read(prefix: str) -> dict:
    """The floor of any replay: every stream read from Redis and each entry typed, nothing applied (with the
    long-lived objects set aside from the collector, as a rebuild sets them)."""
    redis = connect_redis(REDIS_URL)
    started, events = time.perf_counter(), 0
    with long_lived_set_aside():
        for service in SERVICES:
            async for chunk in read_stream(redis, event_stream(prefix, service)):
                events += len(chunk)
    seconds = time.perf_counter() - started
    await redis.aclose()
    return {"events": events, "seconds": seconds, "events_per_s": events / seconds if seconds else None}


def measure_replay(prefix: str, views: Path, fresh: Path) -> dict:
    read = asyncio.run(timed_read(prefix))
    rebuilt = asyncio.run(timed_replay(prefix, views, fresh))
    return {"read": read, "rebuilt": rebuilt}


def print_replay(console: Console, runs: list[dict]) -> None:
    measured = [r["replay"] for r in runs if r.get("replay")]
    if not measured:
        return
    table = Table(title="replay: intake's register and audit trails rebuilt from event 1 (system runs)")
    for column in ("run", "events", "read + decode only, events/s", "rebuilt, events/s", "rebuilt ÷ read",
                   f"goal ≥ {GOAL_EVENTS_PER_S:,}/s", "identical"):
        table.add_column(column, justify="right")
    for n, r in enumerate(measured, 1):
        read, rebuilt = r["read"]["events_per_s"], r["rebuilt"]["events_per_s"]
        table.add_row(str(n), f"{r['rebuilt']['events']:,}", f"{read:,.0f}", f"{rebuilt:,.0f}",
                      f"{rebuilt / read:.2f}×", f"{rebuilt / GOAL_EVENTS_PER_S:.2f}×",
                      "yes" if r["rebuilt"]["identical"] else f"NO: {r['rebuilt']['differences']}")
    console.print(table)
