"""The moving parts of one service process: its relay, its consumers, /health and /metrics."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from faststream.redis import RedisBroker
from prometheus_client import CollectorRegistry, Counter, Gauge
from redis.asyncio import Redis

from shared.chain.heads import HeadPublisher
from shared.contracts import EventMessage, dead_letter_stream, event_stream
from shared.health import HealthChecks
from shared.messaging.commands import ensure_groups, revive
from shared.messaging.follower import ApplyBatch, Follower
from shared.messaging.keys import relay_position_key
from shared.messaging.relay import Relay, ToMessage
from shared.messaging.trimming import StreamTrimmer
from shared.settings import Settings

log = logging.getLogger(__name__)


def connect_redis(url: str) -> Redis:
    # Blocking reads wait at most 1 s, well inside the 5 s socket timeout of redis-py 8. The relays'
    # scripts and the resume hints go through this client: faststream's client is its own.
    return Redis.from_url(url, max_connections=64)


def one_at_a_time(handle: Callable[[EventMessage], object]) -> ApplyBatch:
    """For a process application, whose library applies one event per transaction."""
    def apply(messages: list[EventMessage]) -> dict[int, str]:
        failed = {}
        for n, m in enumerate(messages):
            try:
                handle(m)
            except Exception as exc:  # noqa: BLE001 - the follower retries it, then parks it
                failed[n] = f"{type(exc).__name__}: {exc}"
        return failed
    return apply


class Runtime:
    def __init__(self, service: str, settings: Settings, redis: Redis | None = None):
        self.service, self.settings = service, settings
        self.redis = redis or connect_redis(settings.redis_url)
        self.consumer_name = f"{service}-{socket.gethostname()}-{os.getpid()}"
        self.registry = CollectorRegistry()
        self.relays: list[Relay] = []
        # The one bus: commands (request/reply) and events (followers) alike.
        self.broker = RedisBroker(settings.redis_url, max_connections=64, log_level=logging.DEBUG)
        self.followers: list[Follower] = []
        self.stopping = asyncio.Event()
        self.tasks: list[asyncio.Task[Any]] = []
        self.on_start: list[Callable[[], Any]] = []
        self.on_stop: list[Callable[[], Any]] = []
        self.processed = Counter("sop_messages_processed", "Stream messages applied by this service",
                                 ["service", "group"], registry=self.registry)
        self.lag = Gauge("sop_consumer_group_lag", "Events its source has published that the group has not applied",
                         ["stream", "group"], registry=self.registry)
        self.dead = Gauge("sop_dead_letters", "Messages parked in a dead-letter stream", ["group"],
                          registry=self.registry)
        self.relay_lag = Gauge("sop_relay_unpublished_events", "Stored events not yet published",
                               ["service"], registry=self.registry)
        self.heads = HeadPublisher(service, settings, self.redis, self.registry)
        self.trimmer: StreamTrimmer | None = None
        self.checks = HealthChecks(self)
        self.stream_entries = Gauge("sop_stream_entries", "Entries a stream this service trims holds now",
                                    ["stream"], registry=self.registry)
        self.stream_trimmed = Counter("sop_stream_trimmed_entries", "Entries trimmed from a stream every reader "
                                      "had applied", ["stream"], registry=self.registry)

    def stream(self, service: str) -> str:
        return event_stream(self.settings.stream_prefix, service)

    def add_relay(self, app: Any, to_message: ToMessage) -> Relay:
        relay = Relay(self.redis, app, self.stream(self.service), to_message)
        self.relays.append(relay)
        return relay

    def follow(self, sources: list[str], group: str, apply: ApplyBatch, head: Callable[[str], int | None]) -> None:
        """A read model reading each source's stream in order; `head(source)`: the last position it applied."""
        counter = self.processed.labels(self.service, group)
        for source in sources:
            follower = Follower(self.redis, source, self.stream(source), group, apply, head,
                                dead_letter_stream(self.settings.stream_prefix, group),
                                max_attempts=self.settings.max_deliveries)
            follower.on_applied = counter.inc
            self.followers.append(follower)

    async def start(self) -> None:
        for follower in self.followers:
            await follower.subscribe(self.broker)
        await ensure_groups(self.broker, self.redis)
        if self.settings.stream_trim:
            consumed = sorted({stream for stream, _ in self.command_groups()})
            self.trimmer = StreamTrimmer(self.redis, [r.stream for r in self.relays], consumed,
                                         self.settings.stream_retain_s)
        await self.broker.start()
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
        with contextlib.suppress(Exception):
            await self.broker.stop()
        for follower in self.followers:
            with contextlib.suppress(Exception):
                await follower.hint()
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.redis.aclose()
        self.heads.close()

    def wake_relays(self) -> None:
        for relay in self.relays:
            relay.wake.set()

    def command_groups(self) -> list[tuple[str, str]]:
        """(stream, group) of every subscriber of this process that reads through a consumer group."""
        return sorted({(sub.stream_sub.name, sub.stream_sub.group) for sub in self.broker.subscribers
                       if getattr(sub, "stream_sub", None) is not None and sub.stream_sub.group})

    async def health(self) -> dict[str, Any]:
        return await self.checks.report()

    async def _watch(self) -> None:
        while not self.stopping.is_set():
            try:
                await self._measure()
            except Exception:
                log.warning("could not measure this round", exc_info=True)
            with contextlib.suppress(Exception):  # Redis away: the next round trims
                await self._trim()
            try:
                await revive(self.broker, self.redis)
            except Exception:  # Redis still away: the next round tries again
                log.exception("could not restart the stopped subscribers")
            await asyncio.sleep(5)

    async def _measure(self) -> None:
        try:
            await self.heads.publish()
        except Exception:  # a store not reachable this round: the next one publishes
            log.warning("could not publish the chain head", exc_info=True)
        await self.checks.tend_groups()
        for relay in self.relays:
            stored = relay.app.recorder.max_notification_id() or 0
            self.relay_lag.labels(self.service).set(stored - await relay.position())
        for follower in self.followers:
            published = int(await self.redis.get(relay_position_key(follower.stream)) or 0)
            self.lag.labels(follower.stream, follower.group).set(max(0, published - follower.head(follower.source)))
            self.dead.labels(follower.group).set(await self.redis.xlen(follower.dead_letters))

    async def _trim(self) -> None:
        if self.trimmer is None:
            return
        for stream, n in (await self.trimmer.run_once()).items():
            self.stream_trimmed.labels(stream).inc(n)
            self.stream_entries.labels(stream).set(await self.redis.xlen(stream))
