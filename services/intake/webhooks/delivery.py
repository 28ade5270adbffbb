"""Wires the webhook dispatcher into the intake process: each endpoint reads the change feed as its owner's
credential would (`GET /events`), and the dispatcher runs as a task of the runtime, woken by the views."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from services.intake.answers import FeedEvent
from services.intake.rows import feed_event
from services.intake.views.feed import feed_page
from services.intake.webhooks.dispatcher import Dispatcher

if TYPE_CHECKING:
    from services.intake.wiring import IntakeService

SCHEDULED_PER_READ = 500


def start_webhooks(svc: IntakeService) -> Dispatcher:
    def feed_of(endpoint: dict[str, Any], after: int) -> tuple[list[dict[str, Any]], int] | None:
        owner = svc.auth.by_id(endpoint["owner"])
        rows = svc.access.visible(owner) if owner else None
        if rows is None:
            return None
        types = tuple(endpoint["event_types"] or ()) or None
        found, resume = feed_page(svc.views.db, rows, after, SCHEDULED_PER_READ, types)
        return [FeedEvent.model_validate(feed_event(r)).model_dump(mode="json") for r in found], resume

    dispatcher = Dispatcher(svc.webhooks, feed_of, svc.portal, svc.runtime.registry, svc.feed_name)
    svc.wake_webhooks = dispatcher.wake.set

    async def start() -> None:
        svc.runtime.tasks.append(asyncio.create_task(dispatcher.run(svc.runtime.stopping, svc.pulse.wait)))
    svc.runtime.on_start.append(start)
    return dispatcher
