"""The register, inboxes and audit trails: intake's SQLite read models."""
from __future__ import annotations

import sqlite3
from typing import Any

from shared.contracts import EventMessage
from shared.projections.folds import audit_row, escalation_row, register_changes, status_of
from shared.projections.tracked import TrackedStore

REGISTER_COLUMNS = (
    "case_id", "register_number", "registered_on", "applicant", "institution", "sop_id", "sop_version",
    "subject", "current_step", "current_role", "last_step", "last_decision", "outcome", "closed_on",
    "routing_position", "paused_since", "pause_position", "deadline_extended", "submitted_by", "case_version",
    "last_note",
)
# A new version is a new file and a new consumer group, so a changed read model
# rebuilds itself from event 1 instead of needing a migration.
VIEWS_VERSION = 3
SCHEMA = """
CREATE TABLE IF NOT EXISTS register (
  case_id TEXT PRIMARY KEY, register_number TEXT, registered_on TEXT, applicant TEXT, institution TEXT,
  sop_id TEXT, sop_version INTEGER, subject TEXT, current_step INTEGER, current_role TEXT,
  last_step INTEGER, last_decision TEXT, outcome TEXT, closed_on TEXT, routing_position INTEGER DEFAULT 0,
  paused_since TEXT, pause_position INTEGER DEFAULT 0, deadline_extended INTEGER DEFAULT 0,
  submitted_by TEXT, case_version INTEGER DEFAULT 0, last_note TEXT);
CREATE INDEX IF NOT EXISTS register_inbox ON register (current_role);
CREATE INDEX IF NOT EXISTS register_order ON register (registered_on, register_number, case_id);
CREATE INDEX IF NOT EXISTS register_owner ON register (submitted_by);
CREATE TABLE IF NOT EXISTS audit (
  case_id TEXT, source TEXT, position INTEGER, event_id TEXT, type TEXT, sop_id TEXT, sop_version INTEGER,
  step INTEGER, actor_id TEXT, actor_name TEXT, role TEXT, decision TEXT, note TEXT,
  occurred_at TEXT, recorded_at TEXT, outcome TEXT, PRIMARY KEY (source, position));
CREATE INDEX IF NOT EXISTS audit_case ON audit (case_id);
CREATE TABLE IF NOT EXISTS escalations (
  case_id TEXT, source TEXT, position INTEGER, step INTEGER, from_role TEXT, to_role TEXT, reason TEXT,
  raised_at TEXT, PRIMARY KEY (source, position));
"""


def views_path(settings: Any) -> Any:
    return settings.data_dir / f"intake-views-v{VIEWS_VERSION}.db"


class ViewStore(TrackedStore):
    schema = SCHEMA

    def fold(self, m: EventMessage) -> None:
        row = audit_row(m)
        self.db.execute(
            f"INSERT INTO audit ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
        )
        changes = register_changes(m)
        if changes:
            self._upsert_register(m.case_id, changes)
        escalation = escalation_row(m)
        if escalation:
            self.db.execute(f"INSERT INTO escalations ({', '.join(escalation)}) VALUES "
                            f"({', '.join('?' * len(escalation))})", tuple(escalation.values()))

    def _upsert_register(self, case_id: str, changes: dict[str, Any]) -> None:
        self.db.execute("INSERT OR IGNORE INTO register (case_id) VALUES (?)", (case_id,))
        guard_column = next((c for c in ("routing_position", "pause_position") if c in changes), None)
        guard = f" AND {guard_column} < :{guard_column}" if guard_column else ""
        # Routing's messages may arrive out of order: the case version only ever grows.
        sets = ", ".join(f"{k} = MAX(COALESCE({k}, 0), :{k})" if k == "case_version" else f"{k} = :{k}"
                         for k in changes)
        self.db.execute(f"UPDATE register SET {sets} WHERE case_id = :case_id{guard}", {**changes, "case_id": case_id})

    def register(self, sop_id: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM register WHERE register_number IS NOT NULL", []
        if sop_id:
            sql, args = sql + " AND sop_id = ?", [sop_id]
        rows = [self._with_status(r) for r in self.db.execute(sql + " ORDER BY register_number", args)]
        return [r for r in rows if status is None or r["status"] == status]

    def case(self, case_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM register WHERE case_id = ?", (case_id,)).fetchone()
        return self._with_status(row) if row else None

    def inbox(self, roles: list[str]) -> list[dict[str, Any]]:
        marks = ", ".join("?" * len(roles))
        sql = f"SELECT * FROM register WHERE current_role IN ({marks}) ORDER BY register_number"
        return [self._with_status(r) for r in self.db.execute(sql, roles)]

    def escalations(self, roles: list[str]) -> list[dict[str, Any]]:
        """Escalations to these roles of cases still open."""
        marks = ", ".join("?" * len(roles))
        sql = (f"SELECT e.* FROM escalations e JOIN register r USING (case_id) WHERE e.to_role IN ({marks})"
               " AND r.outcome IS NULL ORDER BY e.raised_at")
        return [dict(r) for r in self.db.execute(sql, roles)]

    def audit(self, case_id: str) -> list[dict[str, Any]]:
        sql = "SELECT * FROM audit WHERE case_id = ? ORDER BY recorded_at, source, position"
        return [dict(r) for r in self.db.execute(sql, (case_id,))]

    def snapshot(self) -> dict[str, list[tuple]]:
        """Every row of every read model, in a fixed order: what replay compares."""
        return {
            "register": [tuple(r) for r in self.db.execute(
                f"SELECT {', '.join(REGISTER_COLUMNS)} FROM register ORDER BY case_id")],
            "audit": [tuple(r) for r in self.db.execute("SELECT * FROM audit ORDER BY source, position")],
            "escalations": [tuple(r) for r in self.db.execute("SELECT * FROM escalations ORDER BY source, position")],
        }

    @staticmethod
    def _with_status(row: sqlite3.Row) -> dict[str, Any]:
        found = dict(row)
        found["status"] = status_of(found)
        return found
