"""Read-only views of each service's stored events and chain links, straight from the store's tables: what
`sop verify` and the audit export walk. Nothing here writes, and nothing goes through the applications."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from shared.chain.links import Link, chain_table_of, originator_text
from shared.settings import Settings

SERVICES = ("intake", "routing", "documents", "sla")
PAGE = 2000


@dataclass(frozen=True)
class StoredRow:
    notification_id: int
    originator_id: str
    version: int
    topic: str
    state: bytes


class ChainStore(Protocol):
    service: str
    where: str

    def chained(self) -> bool: ...
    def events(self, after: int, limit: int) -> list[StoredRow]: ...
    def links(self, after: int, limit: int) -> list[Link]: ...
    def position_of(self, event_hash: str) -> int | None: ...
    def head(self) -> Link | None: ...
    def close(self) -> None: ...


def pages(read, page: int = PAGE) -> Iterator[Any]:
    """Every row of `read(after, limit)`, a page at a time, in notification order."""
    after = 0
    while rows := read(after, page):
        yield from rows
        after = rows[-1].notification_id


class SQLiteChainStore:
    def __init__(self, service: str, path: str, table: str = "stored_events"):
        self.service, self.where, self.table = service, path, table
        self.chain = chain_table_of(table)
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def chained(self) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE name=?", (self.chain,)).fetchone() is not None

    def events(self, after: int, limit: int) -> list[StoredRow]:
        rows = self.conn.execute(f"SELECT rowid, originator_id, originator_version, topic, state FROM {self.table} "
                                 "WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, limit))
        return [StoredRow(n, originator_text(o), v, t, bytes(s)) for n, o, v, t, s in rows]

    def links(self, after: int, limit: int) -> list[Link]:
        rows = self.conn.execute(f"SELECT notification_id, event_hash, prev_hash, link_hash FROM {self.chain} "
                                 "WHERE notification_id > ? ORDER BY notification_id LIMIT ?", (after, limit))
        return [Link(*r) for r in rows]

    def head(self) -> Link | None:
        row = self.conn.execute(f"SELECT notification_id, event_hash, prev_hash, link_hash FROM {self.chain} "
                                "ORDER BY notification_id DESC LIMIT 1").fetchone()
        return Link(*row) if row else None

    def position_of(self, event_hash: str) -> int | None:
        row = self.conn.execute(f"SELECT notification_id FROM {self.chain} WHERE event_hash = ?", (event_hash,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.conn.close()


class PostgresChainStore:
    def __init__(self, service: str, settings: Settings, schema: str, table: str):
        import psycopg
        from psycopg.sql import SQL, Identifier

        self.service, self.where, self.SQL = service, f"{schema}.{table}", SQL
        self.table = SQL("{0}.{1}").format(Identifier(schema), Identifier(table))
        self.chain = SQL("{0}.{1}").format(Identifier(schema), Identifier(chain_table_of(table)))
        self.conn = psycopg.connect(host=settings.postgres_host, port=settings.postgres_port,
                                    user=settings.postgres_user, password=settings.postgres_password or None,
                                    dbname=settings.postgres_dbname, autocommit=True)
        self.conn.read_only = True
        self.schema, self.chain_name = schema, chain_table_of(table)

    def chained(self) -> bool:
        found = self.conn.execute("SELECT to_regclass(%s)", (f'"{self.schema}"."{self.chain_name}"',)).fetchone()
        return found[0] is not None

    def events(self, after: int, limit: int) -> list[StoredRow]:
        rows = self.conn.execute(self.SQL("SELECT notification_id, originator_id, originator_version, topic, state "
                                          "FROM {0} WHERE notification_id > %s ORDER BY notification_id LIMIT %s")
                                 .format(self.table), (after, limit))
        return [StoredRow(n, originator_text(o), v, t, bytes(s)) for n, o, v, t, s in rows]

    def links(self, after: int, limit: int) -> list[Link]:
        rows = self.conn.execute(self.SQL("SELECT notification_id, event_hash, prev_hash, link_hash FROM {0} "
                                          "WHERE notification_id > %s ORDER BY notification_id LIMIT %s")
                                 .format(self.chain), (after, limit))
        return [Link(*r) for r in rows]

    def head(self) -> Link | None:
        row = self.conn.execute(self.SQL("SELECT notification_id, event_hash, prev_hash, link_hash FROM {0} "
                                         "ORDER BY notification_id DESC LIMIT 1").format(self.chain)).fetchone()
        return Link(*row) if row else None

    def position_of(self, event_hash: str) -> int | None:
        row = self.conn.execute(self.SQL("SELECT notification_id FROM {0} WHERE event_hash = %s").format(self.chain),
                                (event_hash,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.conn.close()


def open_store(settings: Settings, service: str) -> ChainStore | None:
    """The service's store, read-only; None when it holds nothing yet (or lives in a process's memory)."""
    if settings.persistence == "sqlite":
        path = settings.data_dir / f"{service}.db"
        return SQLiteChainStore(service, str(path)) if path.exists() else None
    if settings.persistence == "postgres":
        schema = f"{settings.postgres_schema_prefix}_{service}"
        store = PostgresChainStore(service, settings, schema, f"{service}_events")
        found = store.conn.execute("SELECT to_regclass(%s)", (f'"{schema}"."{service}_events"',)).fetchone()[0]
        if found is None:
            store.close()
            return None
        return store
    return None
