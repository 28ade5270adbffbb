"""The register book as a read model (SQLite or PostgreSQL): one row a case, folded from every service's events.

Shared because two services keep it, each in its own file: intake answers the register and the
inboxes from it, documents prints the buku register from it without asking intake.
"""
from __future__ import annotations

from typing import Any

from shared.contracts import EventMessage
from shared.projections.folds import status_of
from shared.projections.register_batch import RegisterBatch
from shared.projections.tracked import TrackedStore

# A new version is a new file and a new consumer group, so a changed register rebuilds itself from
# event 1 instead of needing a migration. Intake's views contain the register: bump VIEWS_VERSION too.
REGISTER_VERSION = 3
REGISTER_SCHEMA = """
CREATE TABLE IF NOT EXISTS register (
  case_id TEXT PRIMARY KEY, register_number TEXT, registered_on TEXT, applicant TEXT, institution TEXT,
  sop_id TEXT, sop_version INTEGER, subject TEXT, current_step INTEGER, "current_role" TEXT,
  last_step INTEGER, last_decision TEXT, outcome TEXT, closed_on TEXT, routing_position INTEGER DEFAULT 0,
  paused_since TEXT, pause_position INTEGER DEFAULT 0, deadline_extended INTEGER DEFAULT 0,
  submitted_by TEXT, case_version INTEGER DEFAULT 0, last_note TEXT);
CREATE INDEX IF NOT EXISTS register_inbox ON register ("current_role");
CREATE INDEX IF NOT EXISTS register_order ON register (registered_on, register_number, case_id);
CREATE INDEX IF NOT EXISTS register_owner ON register (submitted_by);
"""


class RegisterStore(TrackedStore):
    """The register table and its reads; a subclass decides which events it folds into it."""

    schema = REGISTER_SCHEMA

    def register_batch(self, messages: list[EventMessage]) -> RegisterBatch:
        """The rows of the messages' cases, for a fold to apply their changes to and write back once."""
        return RegisterBatch(self.db, {m.case_id for m in messages if m.case_id})

    def register(self, sop_id: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM register WHERE register_number IS NOT NULL", []
        if sop_id:
            sql, args = sql + " AND sop_id = ?", [sop_id]
        rows = [self._with_status(r) for r in self.db.execute(sql + " ORDER BY register_number", args)]
        return [r for r in rows if status is None or r["status"] == status]

    def case(self, case_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM register WHERE case_id = ?", (case_id,)).fetchone()
        return self._with_status(row) if row else None

    @staticmethod
    def _with_status(row: Any) -> dict[str, Any]:
        found = dict(row)
        found["status"] = status_of(found)
        return found
