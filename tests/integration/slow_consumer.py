"""A following process for the crash test: applies slowly to a SQLite view until it is killed."""
from __future__ import annotations

import asyncio
import sys
import time

from faststream.redis import RedisBroker
from redis.asyncio import Redis

from services.intake.views.store import ViewStore
from shared.contracts import dead_letter_stream, event_stream
from shared.messaging.follower import Follower


async def main(url: str, prefix: str, db: str) -> None:
    store = ViewStore(db)

    def slow_apply(batch) -> dict[int, str]:
        time.sleep(0.002 * len(batch))
        return store.apply_batch(batch)

    follower = Follower(Redis.from_url(url), "routing", event_stream(prefix, "routing"), "views", slow_apply,
                        store.head, dead_letter_stream(prefix, "views"), batch=20)
    broker = RedisBroker(url)
    await follower.subscribe(broker)
    await broker.start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
