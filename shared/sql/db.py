"""What the stores ask of a database, and SQLite's answer.

The stores write SQL both databases read: `?` placeholders (translated for psycopg in one place),
`INSERT ... ON CONFLICT`, `SAVEPOINT`/`ROLLBACK TO SAVEPOINT`/`RELEASE SAVEPOINT`, rows read by
name or by index. Only what cannot be written portably is here: opening a write transaction and
the column types of a schema.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from shared.sqlite_file import open_sqlite


class Db(Protocol):
    dialect: str

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        """A cursor: fetchone, fetchall, iteration, rowcount; rows by name and by index."""

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    def tuples(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        """Every row the query answers, as plain tuples (what a snapshot compares)."""

    def script(self, ddl: str) -> None:
        """Creates what is missing, in SQLite's spelling of the column types."""

    def transaction(self) -> Any:
        """A context: the writes in it commit together, or none does if it raises. One writer at a time
        on the store (SQLite's write lock; a lock on PostgreSQL), so a fold reads what the last one wrote."""

    def close(self) -> None: ...


class SqliteDb:
    dialect = "sqlite"

    def __init__(self, path: Path | str):
        self.conn = open_sqlite(path)

    def execute(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, args)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def tuples(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        cursor = self.conn.cursor()
        cursor.row_factory = None  # tuples as SQLite makes them: no Row to convert, a rebuild's whole audit trail
        return cursor.execute(sql, args).fetchall()

    def script(self, ddl: str) -> None:
        self.conn.executescript(ddl)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")  # the write lock now, not at the first write: no upgrade deadlock
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()
