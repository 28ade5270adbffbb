"""A service's own events of one aggregate, as it publishes them, up to an instant: what every `as_of` read
folds. Read from the service's own event store (never from a read model), each event with its place in
the notification log, so an entry read here is the one the audit trail holds, position and all.

`as_of` means the time an event was *recorded* in the log (`recorded_at`), not the `occurred_at` a step
may carry from the past: what the log knew at that instant, the honest answer for an audit.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.popo import POPOAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder

from shared.contracts import EventMessage

ToMessage = Callable[[Any, int], EventMessage | None]


def positions(app: Application[Any], originator_id: UUID) -> dict[int, int]:
    """{version: notification id} of the aggregate's stored events, from the store's own table (the
    library's recorders select an aggregate's events without their place in the log)."""
    recorder: Any = app.recorder
    if isinstance(recorder, POPOAggregateRecorder):  # the in-memory store of the tests: ids count from 1
        return {v: n + 1 for v, n in recorder._stored_events_index[str(originator_id)].items()}
    if isinstance(recorder, SQLiteAggregateRecorder):  # SQLite keeps the id's hex; the rowid is the position
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT originator_version, rowid FROM {recorder.events_table_name} WHERE originator_id = ?",
                      (originator_id.hex,))
            return {row[0]: row[1] for row in c.fetchall()}
    from psycopg.sql import SQL, Identifier

    table = SQL("{0}.{1}").format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
    with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute(SQL("SELECT originator_version, notification_id FROM {0} WHERE originator_id = %s")
                     .format(table), (originator_id,))
        return {row["originator_version"]: row["notification_id"] for row in curs.fetchall()}


def published(app: Application[Any], originator_id: UUID, to_message: ToMessage) -> list[tuple[int, EventMessage]]:
    """(version, message) of each of the aggregate's events the service publishes, in version order."""
    found = []
    places = positions(app, originator_id)
    for stored in app.recorder.select_events(originator_id):
        message = to_message(app.mapper.to_domain_event(stored), places[stored.originator_version])
        if message is not None:
            found.append((stored.originator_version, message))
    return found


def version_at(app: Application[Any], originator_id: UUID, as_of: datetime) -> int | None:
    """The aggregate's version as it stood at `as_of` (by its events' own record times), or None when it
    did not exist yet. For aggregates whose events are not all published (the SLA's, the documents')."""
    last = None
    for stored in app.recorder.select_events(originator_id):
        if app.mapper.to_domain_event(stored).timestamp > as_of:
            break
        last = stored.originator_version
    return last


def aggregate_at(app: Application[Any], originator_id: UUID, as_of: datetime) -> Any | None:
    """The aggregate folded from its events up to `as_of` (the library replays them), or None."""
    version = version_at(app, originator_id, as_of)
    if version is None:
        return None
    try:
        return app.repository.get(originator_id, version=version)
    except AggregateNotFoundError:
        return None
