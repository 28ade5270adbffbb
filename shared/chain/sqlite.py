"""SQLite recorders that write each event's chain link in the transaction that inserts the event.

Selected through the library's own hook (`APPLICATION_RECORDER_TOPIC`, `PROCESS_RECORDER_TOPIC`, set in
shared/eventstore.py) rather than a persistence module of our own: the factory, datastore and tracking stay
the library's, and only `_insert_events`, which it calls inside its write transaction, gains a step.
SQLite has one writer at a time and the insert below takes the write lock first, so the head read after
it is the latest and no two writers can chain onto the same link.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteProcessRecorder

from shared.chain.links import GENESIS, chain, chain_table_of

CREATE = ("CREATE TABLE IF NOT EXISTS {0} (notification_id INTEGER PRIMARY KEY, "
          "event_hash TEXT NOT NULL, prev_hash TEXT NOT NULL, link_hash TEXT NOT NULL)")
BACKFILL_PAGE = 1000


class SQLiteChaining:
    events_table_name: str

    @property
    def chain_table(self) -> str:
        return chain_table_of(self.events_table_name)

    def _create_table(self, c: SQLiteCursor) -> None:
        # Inside the library's table-creating transaction: the chain table and, when it is new, the links of
        # every event stored before it (the migration of a store older than the chain): never half chained.
        super()._create_table(c)  # type: ignore[misc]
        c.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (self.chain_table,))
        if c.fetchone() is None:
            c.execute(CREATE.format(self.chain_table))
            self._backfill(c)

    def _backfill(self, c: SQLiteCursor) -> None:
        prev, after = GENESIS, 0
        while True:
            c.execute(f"SELECT rowid, originator_id, originator_version, topic, state FROM {self.events_table_name} "
                      "WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, BACKFILL_PAGE))
            rows = [tuple(r) for r in c.fetchall()]
            if not rows:
                return
            prev, after = self._write_links(c, prev, [(n, o, v, t, s) for n, o, v, t, s in rows]), rows[-1][0]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)  # type: ignore[misc]
        if ids:
            c.execute(f"SELECT link_hash FROM {self.chain_table} ORDER BY notification_id DESC LIMIT 1")
            head = c.fetchone()
            self._write_links(c, head[0] if head else GENESIS, [
                (n, s.originator_id, s.originator_version, s.topic, s.state) for n, s in zip(ids, stored_events)])
        return ids

    def _write_links(self, c: SQLiteCursor, prev: str, events: list) -> str:
        links = chain(prev, events)
        c.executemany(f"INSERT INTO {self.chain_table} VALUES (?,?,?,?)",
                      [(k.notification_id, k.event_hash, k.prev_hash, k.link_hash) for k in links])
        return links[-1].link_hash


class ChainedSQLiteApplicationRecorder(SQLiteChaining, SQLiteApplicationRecorder):
    pass


class ChainedSQLiteProcessRecorder(SQLiteChaining, SQLiteProcessRecorder):
    pass
