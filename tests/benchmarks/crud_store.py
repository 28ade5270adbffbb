"""The CRUD baseline's storage: one SQLite file, a status row per case and an audit row per step.

What a plain CRUD service would do: the step check and the write share one transaction, the answer goes out
after the commit, and every read sees it at once (no projection, no stream).
"""
from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    case_id TEXT PRIMARY KEY, register_number TEXT NOT NULL, sop_id TEXT NOT NULL, sop_version INTEGER NOT NULL,
    subject TEXT NOT NULL, form TEXT NOT NULL, current_step INTEGER, last_step INTEGER, last_decision TEXT,
    outcome TEXT, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    case_id TEXT NOT NULL, position INTEGER NOT NULL, type TEXT NOT NULL, step INTEGER, decision TEXT,
    note TEXT, actor TEXT NOT NULL, recorded_at TEXT NOT NULL, PRIMARY KEY (case_id, position));
CREATE TABLE IF NOT EXISTS register_book (year INTEGER PRIMARY KEY, last_number INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS cases_in_book_order ON cases (register_number, case_id);
"""
CASE_COLUMNS = ("case_id", "register_number", "sop_id", "sop_version", "subject", "current_step", "last_step",
                "last_decision", "outcome", "version")


class Stale(Exception):
    """Another command moved the case between our read and our write (the real API's 409)."""


class CrudStore:
    def __init__(self, path: Path):
        # One connection used from the event loop only: SQLite has a single writer anyway.
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        # FULL: every commit is on disk before the 2xx, as the event stores' commits are.
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)

    def open_case(self, case_id: str, sop_id: str, sop_version: int, subject: str, form: dict, first_step: int,
                  actor: dict[str, str]) -> tuple[str, int]:
        now = datetime.now(timezone.utc)
        with self._transaction():
            year = now.year
            self.db.execute("INSERT INTO register_book VALUES (?, 1) ON CONFLICT(year) DO UPDATE "
                            "SET last_number = last_number + 1", (year,))
            number, = self.db.execute("SELECT last_number FROM register_book WHERE year = ?", (year,)).fetchone()
            register_number = f"{number:04d}/REG/CRUD/{year}"
            self.db.execute("INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'submitted', NULL, 1)",
                            (case_id, register_number, sop_id, sop_version, subject, json.dumps(form), first_step))
            self._audit(case_id, 1, "RequestSubmitted", 1, "submitted", None, actor, now)
        return register_number, 1

    def complete_step(self, case: dict[str, Any], step: int, decision: str, note: str | None,
                      next_step: int | None, outcome: str | None, actor: dict[str, str]) -> dict[str, Any]:
        version = case["version"] + 1
        with self._transaction():
            moved = self.db.execute(
                "UPDATE cases SET current_step = ?, last_step = ?, last_decision = ?, outcome = ?, version = ? "
                "WHERE case_id = ? AND version = ?",
                (next_step, step, decision, outcome, version, case["case_id"], case["version"])).rowcount
            if not moved:
                raise Stale(case["case_id"])
            self._audit(case["case_id"], version, "StepCompleted", step, decision, note, actor,
                        datetime.now(timezone.utc))
            if outcome:
                version += 1
                self.db.execute("UPDATE cases SET version = ? WHERE case_id = ?", (version, case["case_id"]))
                self._audit(case["case_id"], version, "CaseClosed", None, outcome, None, actor,
                            datetime.now(timezone.utc))
        return case | {"current_step": next_step, "last_step": step, "last_decision": decision,
                       "outcome": outcome, "version": version}

    def case(self, case_id: str) -> dict[str, Any] | None:
        row = self.db.execute(f"SELECT {', '.join(CASE_COLUMNS)} FROM cases WHERE case_id = ?", (case_id,)).fetchone()
        return dict(zip(CASE_COLUMNS, row)) if row else None

    def register(self, limit: int) -> list[dict[str, Any]]:
        """The first page of the book, in its order (an index keeps it from sorting every case)."""
        rows = self.db.execute(f"SELECT {', '.join(CASE_COLUMNS)} FROM cases ORDER BY register_number, case_id "
                               "LIMIT ?", (limit,)).fetchall()
        return [dict(zip(CASE_COLUMNS, row)) for row in rows]

    def audit(self, case_id: str, limit: int) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT position, type, step, decision, note, actor, recorded_at FROM audit "
                               "WHERE case_id = ? ORDER BY position LIMIT ?", (case_id, limit)).fetchall()
        return [{"case_id": case_id, "source": "crud", "position": p, "type": t, "step": s, "decision": d, "note": n,
                 "actor": json.loads(a), "recorded_at": r} for p, t, s, d, n, a, r in rows]

    def _audit(self, case_id: str, position: int, kind: str, step: int | None, decision: str | None,
               note: str | None, actor: dict[str, str], when: datetime) -> None:
        self.db.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (case_id, position, kind, step, decision, note, json.dumps(actor), when.isoformat()))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
