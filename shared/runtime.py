"""The moving parts of one service process: its relay, its consumers, /health and /metrics."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge
from redis.asyncio import Redis

from shared.contracts import EventMessage, dead_letter_stream, event_stream
from shared.messaging.consumer import BatchHandler, GroupConsumer
from shared.messaging.relay import Relay, ToMessage
from shared.settings import Settings

log = logging.getLogger(__name__)


def connect_redis(url: str) -> Redis:
    # Blocking reads wait at most 1 s, well inside the 5 s socket timeout of redis-py 8.
    return Redis.from_url(url, max_connections=500)


class Runtime:
    def __init__(self, service: str, settings: Settings, redis: Redis | None = None):
        self.service, self.settings = service, settings
        self.redis = redis or connect_redis(settings.redis_url)
        self.consumer_name = f"{service}-{socket.gethostname()}-{os.getpid()}"
        self.registry = CollectorRegistry()
        self.relays: list[Relay] = []
        self.consumers: list[GroupConsumer] = []
        self.stopping = asyncio.Event()
        self.tasks: list[asyncio.Task[Any]] = []
        self.on_start: list[Callable[[], Any]] = []
        self.on_stop: list[Callable[[], Any]] = []
        self.processed = Counter("sop_messages_processed", "Stream messages applied by this service",
                                 ["service", "group"], registry=self.registry)
        self.lag = Gauge("sop_consumer_group_lag", "Entries of a stream not yet delivered to the group",
                         ["stream", "group"], registry=self.registry)
        self.pending = Gauge("sop_consumer_group_pending", "Entries delivered but not yet acknowledged",
                             ["stream", "group"], registry=self.registry)
        self.dead = Gauge("sop_dead_letters", "Messages parked in a dead-letter stream", ["group"],
                          registry=self.registry)
        self.relay_lag = Gauge("sop_relay_unpublished_events", "Stored events not yet published",
                               ["service"], registry=self.registry)

    def stream(self, service: str) -> str:
        return event_stream(self.settings.stream_prefix, service)

    def add_relay(self, app: Any, to_message: ToMessage) -> Relay:
        relay = Relay(self.redis, app, self.stream(self.service), to_message)
        self.relays.append(relay)
        return relay

    def add_consumer(self, sources: list[str], group: str, handler: Callable[[EventMessage], object],
                     batch_handler: BatchHandler | None = None) -> GroupConsumer:
        """`batch_handler`, for a read model that applies a whole read in one transaction."""
        counter = self.processed.labels(self.service, group)

        def counted(message: EventMessage) -> object:
            result = handler(message)
            counter.inc()
            return result

        def counted_batch(messages: list[EventMessage]) -> dict[int, str]:
            failed = batch_handler(messages)
            counter.inc(len(messages) - len(failed))
            return failed

        consumer = GroupConsumer(
            self.redis, [self.stream(s) for s in sources], group, self.consumer_name, counted,
            dead_letter_stream(self.settings.stream_prefix, group),
            max_deliveries=self.settings.max_deliveries, reclaim_idle_ms=self.settings.reclaim_idle_ms,
            batch_handler=counted_batch if batch_handler else None,
        )
        self.consumers.append(consumer)
        return consumer

    async def start(self) -> None:
        for consumer in self.consumers:
            await consumer.ensure_groups()
            self.tasks.append(asyncio.create_task(consumer.run(self.stopping)))
        for relay in self.relays:
            self.tasks.append(asyncio.create_task(relay.run(self.stopping, self.settings.relay_poll_ms)))
        self.tasks.append(asyncio.create_task(self._watch()))
        for hook in self.on_start:
            await hook()

    async def stop(self) -> None:
        self.stopping.set()
        for hook in self.on_stop:
            with contextlib.suppress(Exception):
                await hook()
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.redis.aclose()

    def wake_relays(self) -> None:
        for relay in self.relays:
            relay.wake.set()

    async def health(self) -> dict[str, Any]:
        try:
            await self.redis.ping()
            redis_ok = True
        except Exception:  # health must answer even when Redis does not
            redis_ok = False
        alive = all(not t.done() for t in self.tasks)
        return {"service": self.service, "status": "ok" if redis_ok and alive else "degraded",
                "redis": redis_ok, "background_tasks_running": alive}

    async def _watch(self) -> None:
        while not self.stopping.is_set():
            with contextlib.suppress(Exception):
                await self._measure()
            await asyncio.sleep(5)

    async def _measure(self) -> None:
        for relay in self.relays:
            stored = relay.app.recorder.max_notification_id() or 0
            self.relay_lag.labels(self.service).set(stored - await relay.position())
        for consumer in self.consumers:
            for stream in consumer.streams:
                for group in await self.redis.xinfo_groups(stream):
                    if group["name"].decode() == consumer.group:
                        self.lag.labels(stream, consumer.group).set(group.get("lag") or 0)
                        self.pending.labels(stream, consumer.group).set(group["pending"])
            self.dead.labels(consumer.group).set(await self.redis.xlen(consumer.dead_letters))
