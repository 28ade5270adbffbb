"""Follows a service's notification log into its Redis stream.

The position of the last published notification lives in Redis and moves in
the same MULTI/EXEC as the XADDs, under WATCH: a crash between the two cannot
publish twice or skip, and two relays of one service cannot both publish a
notification. Only stored events are read, so nothing unstored is published.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from eventsourcing.application import Application
from redis.asyncio import Redis
from redis.exceptions import WatchError

from shared.contracts import EventMessage

log = logging.getLogger(__name__)
ToMessage = Callable[[Any, int], EventMessage | None]


class Relay:
    def __init__(self, redis: Redis, app: Application[Any], stream: str, to_message: ToMessage, batch: int = 200):
        self.redis = redis
        self.app = app
        self.stream = stream
        self.to_message = to_message
        self.batch = batch
        self.position_key = f"{stream}:relay-position"
        self.wake = asyncio.Event()

    async def position(self) -> int:
        return int(await self.redis.get(self.position_key) or 0)

    async def pump(self) -> int:
        """Publishes the next batch of stored events; returns how many notifications it passed."""
        async with self.redis.pipeline(transaction=True) as pipe:
            try:
                await pipe.watch(self.position_key)
                start = int(await pipe.get(self.position_key) or 0)
                notifications = self.app.recorder.select_notifications(
                    start=start, limit=self.batch, inclusive_of_start=False
                )
                if not notifications:
                    return 0
                pipe.multi()
                for notification in notifications:
                    message = self.to_message(self.app.mapper.to_domain_event(notification), notification.id)
                    if message is not None:
                        pipe.xadd(self.stream, message.to_wire())
                pipe.set(self.position_key, notifications[-1].id)
                await pipe.execute()
                return len(notifications)
            except WatchError:
                return 0  # another relay of this service moved first; read again

    async def run(self, stopping: asyncio.Event, poll_ms: int = 50) -> None:
        while not stopping.is_set():
            try:
                if await self.pump():
                    continue
            except Exception:
                log.exception("relay %s failed; retrying", self.stream)
                await asyncio.sleep(1)
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), poll_ms / 1000)
            except TimeoutError:
                pass
