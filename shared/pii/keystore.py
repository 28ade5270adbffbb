"""The data subjects' keys, in a table of their own and apart from the events: SQLite by default,
PostgreSQL in production, chosen like the event stores (shared/eventstore.py).

Erasing a subject sets its key to NULL and keeps the row as a tombstone with the time, so readers can
tell "erased" from "never had a key" (a request recorded before sealing existed). The table is the
only place a key lives: no service caches one, so an erasure holds for every process at once. In
production the table belongs in its own database role (or a KMS/Vault: README, "Personal data").
"""
from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from shared.pii.envelope import new_key
from shared.settings import Settings
from shared.sql.db import Db
from shared.sql.place import PostgresSchema, open_db

SCHEMA = ("CREATE TABLE IF NOT EXISTS subject_keys (subject_id TEXT PRIMARY KEY, key BLOB, "
          "created_at TEXT NOT NULL, erased_at TEXT)")


class KeyStore(Protocol):
    def create(self, subject_id: str, at: datetime) -> bytes | None:
        """The subject's key, made now if it has none; None once erased (nothing is sealed for it again)."""

    def key(self, subject_id: str) -> bytes | None: ...

    def keys(self, subject_ids: list[str]) -> dict[str, bytes | None]:
        """Each subject's key; None for an erased one (or one without a key)."""

    def erased_at(self, subject_id: str) -> str | None: ...

    def erase(self, subject_id: str, at: datetime) -> None: ...


class SqlKeyStore:
    """Both databases, through shared/sql/ (the same SQL on each)."""

    def __init__(self, db: Db):
        self.db, self.lock = db, threading.Lock()
        with self.lock:
            self.db.script(SCHEMA)

    def _rows(self, sql: str, args: tuple[Any, ...]) -> list[Any]:
        with self.lock:
            cursor = self.db.execute(sql, args)
            return list(cursor.fetchall()) if cursor.description is not None else []

    def create(self, subject_id: str, at: datetime) -> bytes | None:
        self._rows("INSERT INTO subject_keys (subject_id, key, created_at) VALUES (?, ?, ?) "
                   "ON CONFLICT (subject_id) DO NOTHING", (subject_id, new_key(), at.isoformat()))
        return self.key(subject_id)

    def key(self, subject_id: str) -> bytes | None:
        return self.keys([subject_id]).get(subject_id)

    def keys(self, subject_ids: list[str]) -> dict[str, bytes | None]:
        if not subject_ids:
            return {}
        rows = self._rows(f"SELECT subject_id, key FROM subject_keys WHERE subject_id IN "
                          f"({', '.join('?' for _ in subject_ids)})", tuple(subject_ids))
        found = {r[0]: (bytes(r[1]) if r[1] is not None else None) for r in rows}
        return {s: found.get(s) for s in subject_ids}

    def erased_at(self, subject_id: str) -> str | None:
        rows = self._rows("SELECT erased_at FROM subject_keys WHERE subject_id = ?", (subject_id,))
        return rows[0][0] if rows else None

    def erase(self, subject_id: str, at: datetime) -> None:
        # A subject without a row gets its tombstone too: an erasure holds even for a key never made.
        self._rows("INSERT INTO subject_keys (subject_id, key, created_at, erased_at) VALUES (?, NULL, ?, ?) "
                   "ON CONFLICT (subject_id) DO UPDATE SET key = NULL, erased_at = COALESCE(subject_keys.erased_at, "
                   "excluded.erased_at)", (subject_id, at.isoformat(), at.isoformat()))


def sqlite_keystore(path: Path | str) -> SqlKeyStore:
    return SqlKeyStore(open_db(path))


def postgres_keystore(settings: Settings) -> SqlKeyStore:
    """In the schema `<prefix>_keys`, apart from every service's (it is the deployment's, not one service's)."""
    return SqlKeyStore(open_db(PostgresSchema(settings, f"{settings.postgres_schema_prefix}_keys")))


_IN_MEMORY: dict[str, SqlKeyStore] = {}


def open_keystore(settings: Settings) -> SqlKeyStore:
    """The key store of this deployment. In memory (tests, one process) every service of the process
    shares one, as they would share the file or the schema."""
    if settings.persistence == "memory":
        return _shared_in_memory(str(settings.data_dir))
    if settings.persistence == "postgres":
        return postgres_keystore(settings)
    return sqlite_keystore(settings.data_dir / "keys.db")


def process_keystore() -> SqlKeyStore:
    """The default of applications built without one (unit tests): one in-memory store per process."""
    return _shared_in_memory("")


def _shared_in_memory(name: str) -> SqlKeyStore:
    if name not in _IN_MEMORY:
        _IN_MEMORY[name] = sqlite_keystore(":memory:")
    return _IN_MEMORY[name]
