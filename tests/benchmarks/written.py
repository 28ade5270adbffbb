"""What a benchmark's system wrote of the audit guarantees, read from its SQLite files after it stopped: the
proof that a run with them off really ran without them (and one with them on, with them)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from shared.chain.links import chain_table_of
from shared.chain.stores import SERVICES
from shared.pii.envelope import PREFIX

EVENTS = "stored_events"


def rows(db: Path, sql: str, args: tuple = ()) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        table = sql.split(" FROM ")[1].split()[0]
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name=?", (table,)).fetchone() is None:
            return 0
        return conn.execute(sql, args).fetchone()[0]


def audit_rows_written(data_dir: Path) -> dict[str, int]:
    """Events and chain links of every service's store, subject keys, and submissions with sealed fields."""
    found = {"events": 0, "chain_links": 0}
    for service in SERVICES:
        db = data_dir / f"{service}.db"
        found["events"] += rows(db, f"SELECT count(*) FROM {EVENTS}")
        found["chain_links"] += rows(db, f"SELECT count(*) FROM {chain_table_of(EVENTS)}")
    found["subject_keys"] = rows(data_dir / "keys.db", "SELECT count(*) FROM subject_keys WHERE key IS NOT NULL")
    submitted = f"SELECT count(*) FROM {EVENTS} WHERE topic LIKE '%Request.Submitted'"
    found["submissions"] = rows(data_dir / "intake.db", submitted)
    found["submissions_sealed"] = rows(data_dir / "intake.db", submitted + " AND instr(CAST(state AS TEXT), ?) > 0",
                                       (PREFIX,))
    return found
