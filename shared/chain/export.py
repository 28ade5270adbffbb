"""The audit export of a period: every stored event of every service, in each service's notification order,
with who did it (actor, role), what was decided, when it happened and was recorded, and its chain link.

The rows of a service are one unbroken stretch of its chain, from the first event recorded in the period
to the last: an event recorded out of order inside that stretch is exported too (`in_period` false), so an
inspector can check every link from the first row's `prev_hash` to the last row's `link_hash` (the head a
`chain-heads` entry of that time names). Read-only, straight from the stores (shared/chain/stores.py).
"""
from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.chain.links import Link
from shared.chain.stores import SERVICES, ChainStore, StoredRow, open_store, pages
from shared.settings import Settings

FIELDS = ("service", "position", "in_period", "event_type", "topic", "originator_id", "version", "recorded_at",
          "occurred_at", "actor_id", "actor_name", "role", "step", "decision", "case_id", "event_hash", "prev_hash",
          "link_hash")


def period_instants(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The agency's days `start`..`end` (included) as [from, until) instants."""
    return (datetime.combine(start, time(), zone), datetime.combine(end + timedelta(days=1), time(), zone))


def export(settings: Settings, since: datetime, until: datetime, with_state: bool = True) -> Iterator[dict[str, Any]]:
    for service in SERVICES:
        store = open_store(settings, service)
        if store is None:
            continue
        try:
            yield from service_rows(store, since, until, with_state)
        finally:
            store.close()


def service_rows(store: ChainStore, since: datetime, until: datetime, with_state: bool) -> Iterator[dict[str, Any]]:
    links = pages(store.links) if store.chained() else iter(())
    link = next(links, None)
    held: list[dict[str, Any]] = []  # rows after the last one in the period: exported only if another follows
    started = False
    for stored in pages(store.events):
        while link is not None and link.notification_id < stored.notification_id:
            link = next(links, None)  # both in notification order: one pass over each, nothing held
        mine = link if link is not None and link.notification_id == stored.notification_id else None
        row = event_row(store.service, stored, mine, with_state)
        recorded = instant(row["recorded_at"])
        row["in_period"] = recorded is not None and since <= recorded < until
        if row["in_period"]:
            yield from held
            held, started = [], True
            yield row
        elif started:
            held.append(row)


def event_row(service: str, stored: StoredRow, link: Link | None, with_state: bool) -> dict[str, Any]:
    state = decoded(stored.state)
    actor = state.get("actor") or state.get("submitted_by") or {}
    actor = actor if isinstance(actor, dict) else {"id": str(actor)}
    row = {"service": service, "position": stored.notification_id, "in_period": None,
           "event_type": stored.topic.rsplit(".", 1)[-1], "topic": stored.topic,
           "originator_id": stored.originator_id, "version": stored.version,
           "recorded_at": state.get("timestamp"), "occurred_at": state.get("occurred_at"),
           "actor_id": actor.get("id"), "actor_name": actor.get("name"), "role": actor.get("role") or state.get("role"),
           "step": state.get("step"), "decision": state.get("decision") or state.get("outcome"),
           # routing's Case is known by the case's own id; the other services' aggregates name it
           "case_id": state.get("case_id") or (stored.originator_id if ":Case." in stored.topic else None),
           "event_hash": link.event_hash if link else None, "prev_hash": link.prev_hash if link else None,
           "link_hash": link.link_hash if link else None}
    if with_state:
        row["state"] = base64.b64encode(stored.state).decode()
    return row


def decoded(state: bytes) -> dict[str, Any]:
    """The event's fields; an altered row that no longer decodes is still exported (its fields empty)."""
    try:
        found = plain(json.loads(state))
    except (UnicodeDecodeError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def instant(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def plain(value: Any) -> Any:
    """The library's JSON with its typed values ({"_type_": "datetime_iso", "_data_": …}) as their text."""
    if isinstance(value, dict):
        if set(value) == {"_type_", "_data_"}:
            return plain(value["_data_"])
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
