"""A consumer process for the crash test: applies slowly to a SQLite view until it is killed."""
from __future__ import annotations

import asyncio
import sys
import time

from redis.asyncio import Redis

from services.intake.views.store import ViewStore
from shared.contracts import dead_letter_stream, event_stream
from shared.messaging.consumer import GroupConsumer


async def main(url: str, prefix: str, db: str) -> None:
    store = ViewStore(db)

    def slow_apply(message) -> bool:
        time.sleep(0.005)
        return store.apply(message)

    consumer = GroupConsumer(Redis.from_url(url), [event_stream(prefix, "routing")], "views", "doomed",
                             slow_apply, dead_letter_stream(prefix, "views"), batch=500)
    await consumer.run(asyncio.Event())


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
