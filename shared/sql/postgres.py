"""The PostgreSQL side of shared/sql/db.py: one schema per store, found by search_path.

Two connections, each opened when first needed: the writer, used only inside `transaction()` and only by
the thread that opened it, and an autocommit one for everything else (the routes' reads, single-statement
writes), so a read never waits for a follower's batch and never sees half of one. Writers of one schema
(replicas of a service) take a transaction-scoped advisory lock first: what SQLite's BEGIN IMMEDIATE gives,
the order the folds rely on (the feed numbers events in commit order; a case's figures are derived from
all its facts, and an event waiting for its case's registration is seen by the registration).
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.adapt import Dumper
from psycopg.pq import Format

from shared.settings import Settings

# SQLite's column types as PostgreSQL spells them; TEXT compares bytewise there (COLLATE "C"), so
# orderings and keyset cursors agree with SQLite's whatever the database's locale.
TYPES = [(r"\bINTEGER PRIMARY KEY AUTOINCREMENT\b", "BIGSERIAL PRIMARY KEY"), (r"\bINTEGER\b", "BIGINT"),
         (r"\bREAL\b", "DOUBLE PRECISION"), (r"\bBLOB\b", "BYTEA"), (r"\bTEXT\b", 'TEXT COLLATE "C"')]


def postgres_ddl(ddl: str) -> str:
    for pattern, spelled in TYPES:
        ddl = re.sub(pattern, spelled, ddl)
    return ddl


def postgres_sql(sql: str) -> str:
    # The stores' SQL uses `?` (SQLite's and the DB-API's qmark style); psycopg takes `%s`, and a literal `%`
    # must be doubled. No store writes a `?` inside a string literal.
    return sql.replace("%", "%%").replace("?", "%s")


class Row(tuple):
    """A row as sqlite3.Row reads: by index, by column name, `dict(row)`, `tuple(row)`."""

    def __new__(cls, values: Sequence[Any], names: list[str], index: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._names, row._index = names, index
        return row

    def __getitem__(self, key: Any) -> Any:
        return super().__getitem__(self._index[key] if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return self._names


def rows_like_sqlite(cursor: Any) -> Any:
    names = [c.name for c in cursor.description or []]
    index: dict[str, int] = {}
    for n, name in enumerate(names):
        index.setdefault(name, n)  # as sqlite3.Row: a repeated name reads the first column of that name
    return lambda values: Row(values, names, index)


class BoolAsInteger(Dumper):
    """SQLite keeps True as 1; the same columns here are BIGINT, and PostgreSQL casts no boolean to one."""

    format = Format.TEXT
    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj: bool) -> bytes:
        return b"1" if obj else b"0"


def connect(settings: Settings, schema: str, autocommit: bool = True) -> psycopg.Connection:
    conn = psycopg.connect(host=settings.postgres_host, port=settings.postgres_port, user=settings.postgres_user,
                           password=settings.postgres_password or None, dbname=settings.postgres_dbname,
                           autocommit=autocommit, options=f"-c search_path={schema}", row_factory=rows_like_sqlite,
                           application_name=schema[:63])  # pg_stat_activity names the store
    conn.adapters.register_dumper(bool, BoolAsInteger)
    return conn


LOCK = "SELECT pg_advisory_xact_lock(hashtext(%s))"  # held to the transaction's end, one per schema


class PostgresDb:
    dialect = "postgres"

    def __init__(self, settings: Settings, schema: str):
        from shared.eventstore import ensure_postgres_schema

        ensure_postgres_schema(settings, schema)
        self.settings, self.schema = settings, schema
        self._one_writer, self._owner, self._opening = threading.Lock(), None, threading.Lock()
        self._conns: dict[str, psycopg.Connection] = {}

    def _opened(self, role: str) -> psycopg.Connection:
        """Each connection made on first use: a store that only reads (the key store) holds one, not two; made
        again after it broke (a restarted server), so the statement that met the break fails, the next one works
        and the follower, retrying, carries on."""
        with self._opening:
            if role not in self._conns or self._conns[role].closed:
                self._conns[role] = connect(self.settings, self.schema)
            return self._conns[role]

    @property
    def writer(self) -> psycopg.Connection:
        return self._opened("writer")

    def _conn(self) -> psycopg.Connection:
        return self.writer if self._owner == threading.get_ident() else self._opened("reader")

    def execute(self, sql: str, args: Sequence[Any] = ()) -> psycopg.Cursor:
        return self._conn().execute(postgres_sql(sql), args) if args else self._conn().execute(sql)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._conn().cursor() as cursor:
            cursor.executemany(postgres_sql(sql), list(rows))

    def tuples(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        return [tuple(r) for r in self.execute(sql, args)]

    def script(self, ddl: str) -> None:
        conn = self._opened("reader")  # at opening, before anyone reads: the writer waits for the first write
        with conn.transaction():  # two replicas starting at once: one creates, the other finds
            conn.execute(LOCK, (self.schema,))
            conn.execute(postgres_ddl(ddl))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._one_writer:
            self._owner = threading.get_ident()
            try:
                with self.writer.transaction():
                    self.writer.execute(LOCK, (self.schema,))
                    yield
            finally:
                self._owner = None

    def close(self) -> None:
        for conn in self._conns.values():
            conn.close()
