"""The webhook dispatcher against a real HTTP receiver on loopback: every event of the feed arrives, once
deduplicated, through injected 500s and timeouts; signatures verify and a forged one does not."""
from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from uuid import uuid4

import pytest
from prometheus_client import CollectorRegistry

from services.intake.rows import feed_event
from services.intake.views.feed import feed_page
from services.intake.views.paging import CaseFilter
from services.intake.webhooks.dispatcher import Dispatcher
from services.intake.webhooks.store import WebhookStore
from tests.places import new_place
from tests.unit.test_change_feed import two_cases_interleaved
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.usefixtures("each_database")
SECRET = "s3cret-for-the-loopback-receiver"
FAST = SimpleNamespace(webhook_allow_private=True, webhook_retry_period_s=30, webhook_backoff_base_s=0.05,
                       webhook_backoff_max_s=0.2, webhook_timeout_s=0.5, webhook_concurrency=8, webhook_poll_s=0.05)


def dispatcher(store: WebhookStore, views, settings=FAST) -> Dispatcher:
    def feed_of(endpoint, after):
        found, resume = feed_page(views.db, CaseFilter(owner=endpoint["owner"]), after, 500)
        return [feed_event(r) for r in found], resume
    return Dispatcher(store, feed_of, settings, CollectorRegistry(), "views")


def endpoint(url: str, secret: str = SECRET) -> dict:
    return {"id": str(uuid4()), "owner": "portal", "url": url, "event_types": None, "secret": secret,
            "created_at": "2026-12-01T00:00:00+00:00", "position": 0, "feed": "views"}


async def run_until(d: Dispatcher, done, timeout_s: float = 30) -> None:
    stopping = asyncio.Event()
    task = asyncio.create_task(d.run(stopping, lambda t: asyncio.sleep(t)))
    deadline = time.monotonic() + timeout_s
    while not done() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    stopping.set()
    await asyncio.wait_for(task, 5)


async def test_every_event_arrives_once_deduplicated_through_500s_and_timeouts():
    views, cases = two_cases_interleaved(5)
    events = {m.event_id for ms in cases.values() for m in ms}
    with Receiver(SECRET, stall_s=1.0, fail_every=3, stall_every=3) as receiver:
        store = WebhookStore(new_place())
        store.add(endpoint(receiver.url))
        await run_until(dispatcher(store, views), lambda: len(receiver.accepted) == len(events)
                        and not store.db.execute("SELECT 1 FROM deliveries WHERE state != 'delivered'").fetchone())
    assert {b["event"]["event_id"] for b in receiver.accepted.values()} == events
    statuses = [s for _, s in receiver.attempts]
    assert 500 in statuses and 0 in statuses, "both kinds of failure were injected"
    assert receiver.forged == 0
    retried = {d for d, s in receiver.attempts if s != 200}
    assert all(receiver.attempts.count((d, 200)) == 1 for d in retried), "a failed delivery was tried again and taken"
    rows = store.db.execute("SELECT state, attempts FROM deliveries").fetchall()
    assert all(r["state"] == "delivered" for r in rows) and max(r["attempts"] for r in rows) >= 2


async def test_a_receiver_that_never_answers_2xx_parks_the_deliveries_as_dead_letters():
    views, cases = two_cases_interleaved(2)
    with Receiver("another-secret-that-does-not-match") as receiver:  # every signature fails: 400
        store = WebhookStore(new_place())
        hook = endpoint(receiver.url)
        store.add(hook)
        # Long enough for a second attempt on a loaded machine, where one attempt may take most of a second.
        settings = SimpleNamespace(**vars(FAST) | {"webhook_retry_period_s": 2.0})
        total = sum(len(ms) for ms in cases.values())
        await run_until(dispatcher(store, views, settings),
                        lambda: store.counts(hook["id"])["dead"] == total)
    assert receiver.forged >= total and not receiver.accepted, "a wrong signature is detected"
    dead = store.page(hook["id"], "dead", 0, 500)
    assert len(dead) == total and all(d["last_status"] == 400 and d["attempts"] >= 2 for d in dead)
    assert all(a["status"] == 400 for d in dead for a in d["last_attempts"])
    assert store.requeue(hook["id"], dead[len(dead) // 2]["seq"], ("dead",), time.time()) == total - len(dead) // 2 - 1


async def test_two_dispatchers_on_one_store_send_each_delivery_once(tmp_path):
    """Two replicas of intake on one store: each delivery is leased to the dispatcher that claims it."""
    views, cases = two_cases_interleaved(20)
    events = {m.event_id for ms in cases.values() for m in ms}
    with Receiver(SECRET) as receiver:
        place = new_place()
        place = tmp_path / "webhooks.db" if place == ":memory:" else place  # one store, two openings
        first, second = WebhookStore(place), WebhookStore(place)
        first.add(endpoint(receiver.url))
        stopping = asyncio.Event()
        runs = [asyncio.create_task(dispatcher(store, views).run(stopping, lambda t: asyncio.sleep(t)))
                for store in (first, second)]
        deadline = time.monotonic() + 30
        while len(receiver.accepted) < len(events) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # time for a second sending, were there one
        stopping.set()
        await asyncio.wait_for(asyncio.gather(*runs), 5)
    assert {b["event"]["event_id"] for b in receiver.accepted.values()} == events
    assert len(receiver.attempts) == len(events), "a delivery was sent by both dispatchers"
