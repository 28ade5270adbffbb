"""Follows a service's notification log into its Redis stream.

The position of the last published notification lives in Redis and moves in the same atomic step
as the XADDs: a crash between the two cannot publish twice or skip, and two relays of one service
cannot both publish a notification. Only stored events are read, so nothing unstored is published.

The step is a compare-and-set in Lua rather than WATCH/MULTI: WATCH, GET, MULTI…EXEC and the
UNWATCH of an empty pass cost five round trips a pump, a fifth of routing's CPU per step command;
the script costs one, and the relay keeps the position it last set, so a pass that finds nothing
new asks Redis nothing. The script refuses when the stored position is not the one the relay
expected (another relay moved first, or a flush reset it) and answers the true one to start from.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from eventsourcing.application import Application
from redis.asyncio import Redis

from shared.contracts import EventMessage
from shared.messaging.keys import relay_position_key

log = logging.getLogger(__name__)
ToMessage = Callable[[Any, int], EventMessage | None]
WIRE_FIELDS = ("type", "case_id", "payload")  # EventMessage.to_wire(), in this order

# KEYS: position, stream. ARGV: expected position, new position, then the entries' fields.
PUBLISH_IF_AT = """
local at = tonumber(redis.call('GET', KEYS[1]) or '0')
if at ~= tonumber(ARGV[1]) then return {0, at} end
for i = 3, #ARGV, 3 do
  redis.call('XADD', KEYS[2], '*', 'type', ARGV[i], 'case_id', ARGV[i + 1], 'payload', ARGV[i + 2])
end
redis.call('SET', KEYS[1], ARGV[2])
return {1, tonumber(ARGV[2])}
"""


class Relay:
    def __init__(self, redis: Redis, app: Application[Any], stream: str, to_message: ToMessage, batch: int = 200):
        self.redis = redis
        self.app = app
        self.stream = stream
        self.to_message = to_message
        self.batch = batch
        self.position_key = relay_position_key(stream)
        self.wake = asyncio.Event()
        self.publish_if_at = redis.register_script(PUBLISH_IF_AT)
        self.known: int | None = None  # the position this relay last read or set in Redis

    async def position(self) -> int:
        return int(await self.redis.get(self.position_key) or 0)

    async def pump(self) -> int:
        """Publishes the next batch of stored events; returns how many notifications it passed."""
        if self.known is None:
            self.known = await self.position()
        notifications = self.app.recorder.select_notifications(start=self.known, limit=self.batch,
                                                               inclusive_of_start=False)
        if not notifications:
            return 0
        fields: list[str] = []
        for notification in notifications:
            message = self.to_message(self.app.mapper.to_domain_event(notification), notification.id)
            if message is not None:
                wire = message.to_wire()
                fields.extend(wire[name] for name in WIRE_FIELDS)
        done, at = await self.publish_if_at(keys=[self.position_key, self.stream],
                                            args=[self.known, notifications[-1].id, *fields])
        self.known = int(at)
        return len(notifications) if done else 0

    async def run(self, stopping: asyncio.Event, poll_ms: int = 50, recheck_s: float = 1.0) -> None:
        checked = time.monotonic()
        while not stopping.is_set():
            try:
                if await self.pump():
                    continue
            except Exception:
                log.exception("relay %s failed; retrying", self.stream)
                self.known = None
                await asyncio.sleep(1)
            if time.monotonic() - checked >= recheck_s:
                # Idle, it would not notice a flush that reset the position: read it again now and
                # then, so a lost stream is published again from the store within a second.
                self.known, checked = None, time.monotonic()
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), poll_ms / 1000)
            except TimeoutError:
                pass
