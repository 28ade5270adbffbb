"""A projection of the floor in a process of its own (the stand-in for SLA's or documents' read model):
the event stream in order, a batch at a time, events and position in one transaction.

    python -m tests.benchmarks.floor.follower --prefix P --db FILE --ready FILE
"""
from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path
from typing import Callable

from faststream.redis import RedisBroker, StreamSub

from tests.benchmarks.floor.wire import Event, Projection, streams
from tests.benchmarks.system import REDIS_URL


def follow(broker: RedisBroker, prefix: str, projection: Projection, then: Callable[[], None] = lambda: None) -> None:
    # No consumer group: one reader per projection, in stream order, as the real followers read.
    sub = StreamSub(streams(prefix)["events"], batch=True, max_records=100, polling_interval=1000, last_id="0-0")

    @broker.subscriber(stream=sub)
    async def on_events(batch: list[Event]) -> None:
        projection.apply(batch)
        then()


async def serve(prefix: str, db: Path, ready: Path) -> None:
    broker = RedisBroker(REDIS_URL, max_connections=64, log_level=logging.DEBUG)  # as the real services
    follow(broker, prefix, Projection(db))
    async with broker:
        await broker.start()
        ready.write_text("ready")
        await asyncio.Event().wait()


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.floor.follower")
    p.add_argument("--prefix", required=True)
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--ready", type=Path, required=True)
    args = p.parse_args()
    asyncio.run(serve(args.prefix, args.db, args.ready))


if __name__ == "__main__":
    main()
