"""The SLA read model: every visit of a step, when it started, when it is due, whether it was on time.

Built only from routing's published events, so it can be rebuilt from event 1.
The SLA service has no event store of its own yet: its at-risk and breach
events come in a later issue, and will be what it publishes on sop.sla.events.

A case moves one step at a time, so the visit a StepCompleted closes is the
case's latest visit opened before it. Completions are kept in their own table
and matched to visits on every change: a message applied late (a reclaimed
delivery) still lands where it belongs, and any order gives the same rows.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from services.sla.calendar import WorkingCalendar
from shared.contracts import EventMessage
from shared.projections.tracked import TrackedStore
from shared.sop.loader import SopLibrary

COLUMNS = ("case_id", "sop_id", "sop_version", "step", "role", "started_at", "due_at", "completed_at", "on_time")
SCHEMA = """
CREATE TABLE IF NOT EXISTS open_steps (
  case_id TEXT, opened_by INTEGER, sop_id TEXT, sop_version INTEGER, step INTEGER, role TEXT,
  started_at TEXT, due_at TEXT, completed_at TEXT, on_time INTEGER, PRIMARY KEY (case_id, opened_by));
CREATE INDEX IF NOT EXISTS open_steps_open ON open_steps (completed_at);
CREATE TABLE IF NOT EXISTS completions (
  case_id TEXT, position INTEGER, step INTEGER, completed_at TEXT, PRIMARY KEY (case_id, position));
"""


def utc(at: datetime) -> str:
    """One text form for every instant, so stored times compare and replay byte for byte."""
    return at.astimezone(timezone.utc).isoformat()


class SlaStore(TrackedStore):
    schema = SCHEMA

    def __init__(self, path: Path | str, library: SopLibrary, calendar: WorkingCalendar | None = None):
        super().__init__(path)
        self.library, self.calendar = library, calendar or WorkingCalendar()

    def fold(self, m: EventMessage) -> None:
        if m.source == "routing":
            self._fold(m)

    def _fold(self, m: EventMessage) -> None:
        if m.type == "CaseOpened":
            self._open(m, m.data["current_step"])
        elif m.type == "StepCompleted":
            self.db.execute("INSERT INTO completions VALUES (?, ?, ?, ?)",
                            (m.case_id, m.position, m.step, utc(m.occurred_at)))
            if m.data.get("next_step") is not None:
                self._open(m, m.data["next_step"])
        else:
            return  # CaseClosed: its last StepCompleted already closed the last visit
        self._match_completions(m.case_id)

    def _open(self, m: EventMessage, number: int) -> None:
        step = self.library.get(m.sop_id, m.sop_version).step(number)
        if step is None:
            raise LookupError(f"{m.sop_id} v{m.sop_version} has no step {number}")
        due = self.calendar.add(m.occurred_at, step.standard_time.hours, step.standard_time.days)
        self.db.execute(
            "INSERT INTO open_steps VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
            (m.case_id, m.position, m.sop_id, m.sop_version, number, step.role, utc(m.occurred_at), utc(due)),
        )

    def _match_completions(self, case_id: str) -> None:
        visits = self.db.execute("SELECT opened_by, step, due_at FROM open_steps WHERE case_id = ? "
                                 "AND completed_at IS NULL", (case_id,)).fetchall()
        for visit in visits:
            done = self.db.execute(
                "SELECT step, completed_at FROM completions WHERE case_id = ? AND position > ? "
                "ORDER BY position LIMIT 1", (case_id, visit["opened_by"])).fetchone()
            if done is None:
                continue
            if done["step"] != visit["step"]:
                raise ValueError(f"case {case_id}: step {done['step']} completed while step {visit['step']} was open")
            on_time = datetime.fromisoformat(done["completed_at"]) <= datetime.fromisoformat(visit["due_at"])
            self.db.execute("UPDATE open_steps SET completed_at = ?, on_time = ? WHERE case_id = ? AND opened_by = ?",
                            (done["completed_at"], on_time, case_id, visit["opened_by"]))

    def case(self, case_id: str) -> list[dict[str, Any]]:
        rows = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM open_steps WHERE case_id = ? ORDER BY opened_by",
                               (case_id,))
        return [self._public(r) for r in rows]

    def open_steps(self) -> list[dict[str, Any]]:
        rows = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM open_steps WHERE completed_at IS NULL "
                               "ORDER BY case_id, opened_by")
        return [self._public(r) for r in rows]

    def completed_counts(self) -> list[dict[str, Any]]:
        sql = ("SELECT sop_id, step, role, on_time, COUNT(*) AS n FROM open_steps WHERE completed_at IS NOT NULL "
               "GROUP BY sop_id, step, role, on_time ORDER BY sop_id, step, role, on_time")
        return [self._public(r) for r in self.db.execute(sql)]

    def snapshot(self) -> list[tuple]:
        """Every row in a fixed order: what a rebuild is compared with."""
        return [tuple(r) for r in self.db.execute("SELECT * FROM open_steps ORDER BY case_id, opened_by")]

    @staticmethod
    def _public(row: sqlite3.Row) -> dict[str, Any]:
        found = dict(row)
        if found.get("on_time") is not None:
            found["on_time"] = bool(found["on_time"])
        return found
