"""The register, inboxes, audit trails and escalations: intake's read models (SQLite or PostgreSQL)."""
from __future__ import annotations

from typing import Any

from services.intake.views.feed import FEED_SCHEMA, enter_feed
from shared.contracts import EventMessage
from shared.events import RequestSubmitted, typed
from shared.projections.folds import audit_row, escalation_row, register_changes
from shared.projections.register import REGISTER_SCHEMA, RegisterStore
from shared.projections.register_batch import QUOTED_COLUMNS
from shared.settings import Settings
from shared.sql.db import Db
from shared.sql.place import Place, store_place

# A new version is a new file and a new consumer group, so a changed read model
# rebuilds itself from event 1 instead of needing a migration (at least with every REGISTER_VERSION).
VIEWS_VERSION = 4
SCHEMA = REGISTER_SCHEMA + """
CREATE TABLE IF NOT EXISTS audit (
  case_id TEXT, source TEXT, position INTEGER, event_id TEXT, type TEXT, sop_id TEXT, sop_version INTEGER,
  step INTEGER, actor_id TEXT, actor_name TEXT, role TEXT, decision TEXT, note TEXT,
  occurred_at TEXT, recorded_at TEXT, outcome TEXT, PRIMARY KEY (source, position));
CREATE INDEX IF NOT EXISTS audit_case ON audit (case_id);
CREATE TABLE IF NOT EXISTS escalations (
  case_id TEXT, source TEXT, position INTEGER, step INTEGER, from_role TEXT, to_role TEXT, reason TEXT,
  raised_at TEXT, PRIMARY KEY (source, position));
CREATE TABLE IF NOT EXISTS tracking (register_number TEXT PRIMARY KEY, case_id TEXT, code TEXT);
""" + FEED_SCHEMA



def views_path(settings: Settings) -> Place:
    return store_place(settings, f"intake-views-v{VIEWS_VERSION}")


def insert_rows(db: Db, table: str, rows: list[dict[str, Any]]) -> None:
    """Rows of one fold's shape (the same columns each) into `table`, in one statement."""
    if rows:
        db.executemany(f"INSERT INTO {table} ({', '.join(rows[0])}) VALUES ({', '.join('?' * len(rows[0]))})",
                       [tuple(r.values()) for r in rows])


class ViewStore(RegisterStore):
    schema = SCHEMA

    def fold(self, m: EventMessage) -> None:
        self.fold_many([m])

    def fold_many(self, messages: list[EventMessage]) -> None:
        """The register and the feed event by event, in order (the feed reads the register); the audit
        trail, escalations and tracking codes, which no fold reads back, a batch at a time."""
        register = self.register_batch(messages)
        for m in messages:
            if changes := register_changes(m):
                register.apply(m.case_id, changes)
            enter_feed(self.db, m, register.registered(m.case_id))
        register.write()
        insert_rows(self.db, "audit", [audit_row(m) for m in messages])
        insert_rows(self.db, "escalations", [e for m in messages if (e := escalation_row(m))])
        self.db.executemany("INSERT INTO tracking VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [
            (s.data.register_number, s.case_id, s.data.tracking_code) for s in map(typed, messages)
            if isinstance(s, RequestSubmitted) and s.data.tracking_code])

    def tracked(self, register_number: str) -> dict[str, Any] | None:
        """The case a register number names, with its tracking code: what the public status page checks."""
        row = self.db.execute("SELECT * FROM tracking WHERE register_number = ?", (register_number,)).fetchone()
        return dict(row) if row else None

    def inbox(self, roles: list[str]) -> list[dict[str, Any]]:
        marks = ", ".join("?" * len(roles))
        # NULLS FIRST: where SQLite puts them, and PostgreSQL would not.
        sql = f'SELECT * FROM register WHERE "current_role" IN ({marks}) ORDER BY register_number NULLS FIRST'
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
            "register": self.db.tuples(f"SELECT {QUOTED_COLUMNS} FROM register ORDER BY case_id"),
            "audit": self.db.tuples("SELECT * FROM audit ORDER BY source, position"),
            "escalations": self.db.tuples("SELECT * FROM escalations ORDER BY source, position"),
            "tracking": self.db.tuples("SELECT * FROM tracking ORDER BY register_number"),
            # The feed without its numbers: they follow the order the streams interleaved in, which a
            # rebuild need not repeat; what is in it is compared.
            "feed": self.db.tuples("SELECT source, position, case_id FROM feed ORDER BY source, position"),
        }
