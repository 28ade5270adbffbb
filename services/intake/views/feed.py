"""The change feed: every event of every case, numbered in the order this read model applied it.

`seq` is local to this views file (a rebuild numbers again), which is what makes it a cursor a portal can
resume from: it only grows, and what lies below it never changes. Visibility must not change either, or a
page read before would differ from the same page read later: so an event enters the feed only once its case
is registered (the routing or SLA stream may be applied before intake's), waiting in `feed_waiting` until
then. A case's owner and SOP are fixed at registration, so whoever may read an event of the feed once may
read it always. Written by the views follower in the same transaction as its tracking position.
"""
from __future__ import annotations

from typing import Any

from services.intake.views.paging import CaseFilter
from shared.contracts import EventMessage
from shared.sql.db import Db

FEED_SCHEMA = """
CREATE TABLE IF NOT EXISTS feed (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT, position INTEGER, case_id TEXT, UNIQUE (source, position));
CREATE TABLE IF NOT EXISTS feed_waiting (
  source TEXT, position INTEGER, case_id TEXT, PRIMARY KEY (source, position));
CREATE INDEX IF NOT EXISTS feed_waiting_case ON feed_waiting (case_id);
"""


def enter_feed(db: Db, m: EventMessage, registered: bool) -> None:
    """Numbers the event, or lets it wait for its case's registration; a registration lets its case's waiting
    events in after it, in the order of their streams."""
    if not m.case_id:
        return  # not a case's event (a calendar change): no portal follows it
    if not registered:
        db.execute("INSERT INTO feed_waiting VALUES (?, ?, ?) ON CONFLICT DO NOTHING", (m.source, m.position, m.case_id))
        return
    db.execute("INSERT INTO feed (source, position, case_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
               (m.source, m.position, m.case_id))
    if m.source == "intake":
        db.execute("INSERT INTO feed (source, position, case_id) SELECT source, position, case_id FROM feed_waiting "
                   "WHERE case_id = ? ORDER BY source, position ON CONFLICT DO NOTHING", (m.case_id,))
        db.execute("DELETE FROM feed_waiting WHERE case_id = ?", (m.case_id,))


def feed_page(db: Db, rows: CaseFilter, after: int, limit: int,
              types: tuple[str, ...] | None = None) -> tuple[list[dict[str, Any]], int]:
    """Up to `limit` events after `after` that `rows` lets through, and the cursor to resume from: the last
    event handed out, or, when the page is short, the feed's end (everything up to it was looked at, so a
    credential that sees few cases does not scan the same invisible events on every poll)."""
    where, args = rows.where()
    if types:
        where += f" AND a.type IN ({', '.join('?' * len(types))})"
        args.extend(types)
    end = db.execute("SELECT COALESCE(MAX(seq), 0) FROM feed").fetchone()[0]
    sql = ("SELECT f.seq, r.register_number, a.* FROM feed f JOIN audit a USING (source, position) "
           f"JOIN register r ON r.case_id = f.case_id WHERE f.seq > ? AND f.seq <= ? AND {where} "
           "ORDER BY f.seq LIMIT ?")
    found = [dict(r) for r in db.execute(sql, [after, end, *args, limit])]
    resume = found[-1]["seq"] if len(found) == limit else max(after, end)
    return found, resume
