"""A service's own SQLite file for a read model or a store of its own, opened the one way they all need."""
from __future__ import annotations

import sqlite3
from pathlib import Path


def open_sqlite(path: Path | str) -> sqlite3.Connection:
    """Autocommit (callers open their own transactions), rows by name, WAL so that reads from the
    routes never wait for the follower's writes; the folder is made when missing."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    return db
