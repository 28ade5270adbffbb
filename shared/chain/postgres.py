"""PostgreSQL recorders that write each event's chain link in the transaction that inserts the event.

The library serialises writers with `LOCK TABLE <events> IN EXCLUSIVE MODE` (so that notification ids are
committed in order) before it inserts; `_fetch_ids_after_insert_events` runs after that insert, still
under the lock, in the same transaction. Chaining there reads the head no other writer can move until
this one commits: concurrent writers queue on the lock and the chain never forks. Selected through the
library's hook (`APPLICATION_RECORDER_TOPIC`, `PROCESS_RECORDER_TOPIC`; shared/eventstore.py). The path
through database functions (`POSTGRES_ENABLE_DB_FUNCTIONS`) would skip the hook, so it is refused.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresProcessRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from shared.chain.links import GENESIS, chain, chain_table_of

BACKFILL_PAGE = 1000


class PostgresChaining:
    events_table_name: str

    def _table(self, name: str):
        return SQL("{0}.{1}").format(Identifier(self.datastore.schema), Identifier(name))  # type: ignore[attr-defined]

    def create_table(self) -> None:
        if self.datastore.enable_db_functions:  # type: ignore[attr-defined]
            raise RuntimeError("the event chain needs POSTGRES_ENABLE_DB_FUNCTIONS off")
        super().create_table()  # type: ignore[misc]
        chain_name = chain_table_of(self.events_table_name)
        # Under the writers' own lock: a second process starting at once waits, then finds the table made
        # (and, for a store older than the chain, every event already linked from the first: the migration).
        with self.datastore.transaction(commit=True) as curs:  # type: ignore[attr-defined]
            curs.execute(SQL("LOCK TABLE {0} IN EXCLUSIVE MODE").format(self._table(self.events_table_name)))
            curs.execute("SELECT to_regclass(%s) AS found", (f'"{self.datastore.schema}"."{chain_name}"',))  # type: ignore[attr-defined]
            if curs.fetchone()["found"] is None:
                curs.execute(SQL("CREATE TABLE {0} (notification_id bigint PRIMARY KEY, event_hash text NOT NULL, "
                                 "prev_hash text NOT NULL, link_hash text NOT NULL)").format(self._table(chain_name)))
                self._backfill(curs)

    def _backfill(self, curs: Cursor[DictRow]) -> None:
        prev, after = GENESIS, 0
        while True:
            curs.execute(SQL("SELECT notification_id, originator_id, originator_version, topic, state FROM {0} "
                             "WHERE notification_id > %s ORDER BY notification_id LIMIT %s")
                         .format(self._table(self.events_table_name)), (after, BACKFILL_PAGE))
            rows = [(r["notification_id"], r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"]))
                    for r in curs.fetchall()]
            if not rows:
                return
            prev, after = self._write_links(curs, prev, rows), rows[-1][0]

    def _fetch_ids_after_insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                                       **kwargs: Any) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)  # type: ignore[misc]
        if ids:
            curs.execute(SQL("SELECT link_hash FROM {0} ORDER BY notification_id DESC LIMIT 1")
                         .format(self._table(chain_table_of(self.events_table_name))))
            head = curs.fetchone()
            self._write_links(curs, head["link_hash"] if head else GENESIS, [
                (n, s.originator_id, s.originator_version, s.topic, s.state) for n, s in zip(ids, stored_events)])
        return ids

    def _write_links(self, curs: Cursor[DictRow], prev: str, events: list) -> str:
        links = chain(prev, events)
        curs.executemany(SQL("INSERT INTO {0} VALUES (%s, %s, %s, %s)").format(
            self._table(chain_table_of(self.events_table_name))),
            [(k.notification_id, k.event_hash, k.prev_hash, k.link_hash) for k in links])
        return links[-1].link_hash


class ChainedPostgresApplicationRecorder(PostgresChaining, PostgresApplicationRecorder):
    pass


class ChainedPostgresProcessRecorder(PostgresChaining, PostgresProcessRecorder):
    pass
