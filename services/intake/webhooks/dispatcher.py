"""Delivers webhooks off the request path: a task of the intake process that turns each endpoint's part of
the change feed into deliveries (schedule) and posts the ones due (send), never blocking the event loop
(httpx's async client; the SQLite statements are short and local).

At least once: a delivery counts as done only on a 2xx; a timeout after the receiver took it is tried again,
with the same id (`SOP-Delivery-Id`) and the same body, so the receiver dedupes. No order across deliveries:
a receiver that needs one orders by the body's `seq`. A failure waits min(base * 2^(n-1), max) seconds, drawn
between half of that and all of it (jitter, so receivers coming back are not hit by every retry at once),
until `webhook_retry_period_s` has passed since the first attempt; then it is parked (`dead`), listed per
endpoint and sent again with POST /webhooks/{id}/redeliver. Replicas of intake on one store each run a
dispatcher: a delivery is leased to the one that claims it (WebhookStore.claim_due), so each is sent by
one of them at a time.
"""
from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
from prometheus_client import CollectorRegistry, Counter, Histogram

from services.intake.webhooks.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signature
from services.intake.webhooks.store import WebhookStore, delivery_id
from services.intake.webhooks.targets import (
    Resolver, TargetRefused, checked_addresses, host_header, parse_target, pinned_url, system_resolver,
)

log = logging.getLogger(__name__)
# For an endpoint: its owner's visible feed after `after`, as (rows, resume), already typed as feed events.
FeedOf = Callable[[dict[str, Any], int], tuple[list[dict[str, Any]], int] | None]


class Dispatcher:
    def __init__(self, store: WebhookStore, feed_of: FeedOf, settings: Any, registry: CollectorRegistry,
                 feed_name: str, resolver: Resolver = system_resolver, clock: Callable[[], float] = time.time):
        self.store, self.feed_of, self.s, self.feed_name = store, feed_of, settings, feed_name
        self.resolver, self.clock = resolver, clock
        self.busy: dict[str, asyncio.Task[None]] = {}
        self.wake = asyncio.Event()
        self.client: httpx.AsyncClient | None = None
        self.outcomes = Counter("sop_webhook_attempts", "Webhook delivery attempts", ["outcome"], registry=registry)
        self.delay = Histogram("sop_webhook_delivery_delay_seconds", "From the event's record to its delivery",
                               buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30, 300, 3600), registry=registry)

    async def run(self, stopping: asyncio.Event, beat: Callable[[float], Any]) -> None:
        """Until `stopping`: schedule, send what is due, then wait for the views' next batch (`beat`), a finished
        delivery, or the poll interval, whichever comes first."""
        self.client = httpx.AsyncClient(timeout=self.s.webhook_timeout_s, follow_redirects=False,
                                        limits=httpx.Limits(max_connections=self.s.webhook_concurrency * 2))
        for endpoint in self.store.endpoints():  # a feed numbered anew: read it again, the ids dedupe
            if endpoint["feed"] != self.feed_name:
                self.store.rewind(endpoint["id"], 0, self.feed_name)
        try:
            while not stopping.is_set():
                try:
                    self.schedule()
                    self.send_due()
                except Exception:  # the store or the feed failed this round: the next round tries again
                    log.exception("webhook dispatch round failed")
                waits = [asyncio.ensure_future(beat(self.s.webhook_poll_s)), asyncio.ensure_future(self.wake.wait())]
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                for w in waits:
                    w.cancel()
                self.wake.clear()
        finally:
            for task in list(self.busy.values()):
                task.cancel()
            await self.client.aclose()

    def schedule(self) -> None:
        for endpoint in self.store.endpoints():
            while True:
                read = self.feed_of(endpoint, endpoint["position"])
                if read is None:  # the owner's credential is gone, or sees no case any more
                    break
                events, resume = read
                if resume == endpoint["position"]:
                    break
                self.store.schedule(endpoint["id"], [self.delivery(endpoint, e) for e in events], resume, self.clock())
                endpoint["position"] = resume

    @staticmethod
    def delivery(endpoint: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
        did = delivery_id(endpoint["id"], event["event_id"])
        body = {"id": did, "type": event["type"], "seq": event["seq"], "event": event}
        return {"id": did, "seq": event["seq"], "event_id": event["event_id"], "type": event["type"],
                "body": json.dumps(body, separators=(",", ":"), default=str).encode()}

    def send_due(self) -> None:
        room = self.s.webhook_concurrency - len(self.busy)
        if room <= 0:
            return
        # Leased a little longer than one attempt may take: recording it ends the lease.
        for d in self.store.claim_due(self.clock(), room, self.s.webhook_timeout_s + 5):
            if d["id"] in self.busy:
                continue
            task = asyncio.create_task(self.attempt(d))
            self.busy[d["id"]] = task
            task.add_done_callback(lambda _, i=d["id"]: (self.busy.pop(i, None), self.wake.set()))

    async def attempt(self, d: dict[str, Any]) -> None:
        started, at = time.monotonic(), self.clock()
        status, error = await self.post(d)
        duration_ms = (time.monotonic() - started) * 1000
        if status is not None and 200 <= status < 300:
            self.outcomes.labels("delivered").inc()
            self.store.attempted(d, at, status, None, duration_ms, "delivered", None)
            return
        self.outcomes.labels("failed").inc()
        n = d["attempts"] + 1
        wait = min(self.s.webhook_backoff_base_s * 2 ** (n - 1), self.s.webhook_backoff_max_s)
        next_at = self.clock() + random.uniform(wait / 2, wait)
        dead = next_at - (d["first_attempt_at"] or at) > self.s.webhook_retry_period_s
        if dead:
            self.outcomes.labels("parked").inc()
            log.warning("webhook %s to %s parked after %d attempts: %s", d["id"], d["url"], n, error)
        self.store.attempted(d, at, status, error, duration_ms, "dead" if dead else "pending", None if dead else next_at)

    async def post(self, d: dict[str, Any]) -> tuple[int | None, str | None]:
        allow = self.s.webhook_allow_private
        try:
            target = parse_target(d["url"], allow)
            address = (await checked_addresses(target, allow, self.resolver))[0]
            headers = {"Content-Type": "application/json", "User-Agent": "sop-webhooks/1", "Host": host_header(target),
                       SIGNATURE_HEADER: signature(d["secret"], int(self.clock()), d["body"]),
                       DELIVERY_HEADER: d["id"], EVENT_HEADER: d["type"]}
            extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
            assert self.client is not None
            async with self.client.stream("POST", pinned_url(target, address), content=d["body"], headers=headers,
                                          extensions=extensions) as answer:
                status = answer.status_code  # the body is never read: a receiver cannot make us download
        except TargetRefused as exc:
            return None, f"refused: {exc}"[:500]
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}"[:500]
        if 200 <= status < 300:
            recorded = json.loads(d["body"])["event"]["recorded_at"]
            self.delay.observe(max(0.0, self.clock() - _epoch(recorded)))
            return status, None
        return status, f"HTTP {status}"


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()
