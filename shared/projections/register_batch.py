"""A batch's register rows in memory: read in one query, each event's changes applied in the batch's order,
written back in one statement. The one place the register's rules are applied, for every store that keeps it.

Each change touches only the columns its event owns; a change that carries `routing_position` (or
`pause_position`) applies only if newer than what the row holds, since a dead letter sent back arrives
after later events; the case version only ever grows.
"""
from __future__ import annotations

from typing import Any

from shared.sql.db import Db

REGISTER_COLUMNS = (
    "case_id", "register_number", "registered_on", "applicant", "institution", "sop_id", "sop_version",
    "subject", "current_step", "current_role", "last_step", "last_decision", "outcome", "closed_on",
    "routing_position", "paused_since", "pause_position", "deadline_extended", "submitted_by", "case_version",
    "last_note",
)
# "current_role" is quoted wherever SQL names it: CURRENT_ROLE is a reserved word in PostgreSQL, a plain
# name to SQLite, and both read a quoted name.
QUOTED_COLUMNS = ", ".join(f'"{c}"' for c in REGISTER_COLUMNS)
NEW_ROW = dict.fromkeys(REGISTER_COLUMNS) | {"routing_position": 0, "pause_position": 0, "deadline_extended": 0,
                                            "case_version": 0}  # the schema's defaults
UPSERT = (f"INSERT INTO register ({QUOTED_COLUMNS}) VALUES ({', '.join('?' * len(REGISTER_COLUMNS))}) "
          "ON CONFLICT (case_id) DO UPDATE SET " + ", ".join(f'"{c}" = excluded."{c}"' for c in REGISTER_COLUMNS[1:]))
IN_LIST = 500


def changed(row: dict[str, Any], changes: dict[str, Any]) -> bool:
    """The changes applied to `row` by the register's rules; False when its guard keeps the row as it is."""
    guard = next((c for c in ("routing_position", "pause_position") if c in changes), None)
    if guard and (row[guard] is None or not row[guard] < changes[guard]):
        return False
    for column, value in changes.items():
        kept = column == "case_version" and (row[column] or 0) > value  # an older version arriving late
        if not kept:
            row[column] = value
    return True


class RegisterBatch:
    """The register rows of a batch's cases, as they stand after each event applied so far."""

    def __init__(self, db: Db, case_ids: set[str]):
        self.db, self.rows, self.touched = db, {}, set()
        wanted = sorted(case_ids)
        for start in range(0, len(wanted), IN_LIST):
            some = wanted[start:start + IN_LIST]
            sql = f"SELECT {QUOTED_COLUMNS} FROM register WHERE case_id IN ({', '.join('?' * len(some))})"
            self.rows.update((r[0], dict(zip(REGISTER_COLUMNS, r))) for r in db.tuples(sql, some))

    def apply(self, case_id: str, changes: dict[str, Any]) -> None:
        """A row exists for every case any change was meant for, even one its guard turned away."""
        changed(self.rows.setdefault(case_id, NEW_ROW | {"case_id": case_id}), changes)
        self.touched.add(case_id)

    def registered(self, case_id: str) -> bool:
        row = self.rows.get(case_id)
        return row is not None and row["register_number"] is not None

    def write(self) -> None:
        self.db.executemany(UPSERT, [tuple(self.rows[case][c] for c in REGISTER_COLUMNS)
                                      for case in sorted(self.touched)])
