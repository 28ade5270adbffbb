"""What the floor's processes say to each other: stream names, the command, the event, and a projection
that follows the event stream in order and keeps its position in the same transaction as its rows."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from pydantic import BaseModel


def streams(prefix: str) -> dict[str, str]:
    return {"commands": f"{prefix}.commands", "events": f"{prefix}.events"}


class Command(BaseModel):
    kind: str  # open | step
    case_id: str
    actor: dict[str, Any]
    sop_id: str | None = None
    subject: str | None = None
    form: dict[str, Any] | None = None
    step: int | None = None
    decision: str | None = None
    note: str | None = None
    given: list[str] = []


class Event(BaseModel):
    seq: int  # the write model's log position: the order the projections apply in
    type: str
    case_id: str
    register_number: str
    sop_id: str
    sop_version: int
    step: int | None
    decision: str | None
    note: str | None
    actor: dict[str, str]
    recorded_at: str
    current_step: int | None
    outcome: str | None
    version: int


SCHEMA = """
CREATE TABLE IF NOT EXISTS position (one INTEGER PRIMARY KEY CHECK (one = 1), seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS cases (case_id TEXT PRIMARY KEY, body TEXT NOT NULL, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, case_id TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_case ON events (case_id, seq);
"""


class Projection:
    def __init__(self, path: Path):
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")  # as the CRUD baseline and the real read models
        self.db.executescript(SCHEMA)
        row = self.db.execute("SELECT seq FROM position").fetchone()
        self.seq = row[0] if row else 0

    def apply(self, batch: list[Event]) -> None:
        """One transaction per batch read; what is at or below the position was applied before."""
        fresh = [e for e in batch if e.seq > self.seq]
        if not fresh:
            return
        self.db.execute("BEGIN IMMEDIATE")
        self.db.executemany("INSERT INTO events VALUES (?, ?, ?)",
                            [(e.seq, e.case_id, e.model_dump_json()) for e in fresh])
        self.db.executemany("INSERT INTO cases VALUES (?, ?, ?) ON CONFLICT(case_id) DO UPDATE "
                            "SET body = excluded.body, version = excluded.version",
                            [(e.case_id, e.model_dump_json(), e.version) for e in fresh])
        self.db.execute("INSERT INTO position VALUES (1, ?) ON CONFLICT(one) DO UPDATE SET seq = excluded.seq",
                        (fresh[-1].seq,))
        self.db.execute("COMMIT")
        self.seq = fresh[-1].seq

    def case(self, case_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT body FROM cases WHERE case_id = ?", (case_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def audit(self, case_id: str, limit: int) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT body FROM events WHERE case_id = ? ORDER BY seq LIMIT ?", (case_id, limit))
        return [json.loads(body) for body, in rows]
