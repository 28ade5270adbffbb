"""Webhook endpoints and their deliveries, in intake's own SQLite file or PostgreSQL schema (not the
views': a rebuild of the
views must not forget what portals registered).

A delivery is a projection of the change feed: the dispatcher reads each endpoint's part of the feed after
the endpoint's `position` and writes its deliveries and the new position in one transaction. A delivery's id
is a function of the endpoint and the event, so scheduling an event again (a rebuilt feed numbers anew, and
its endpoints start again from 0) finds the delivery it made before: one id per event and endpoint, forever.
"""
from __future__ import annotations

import json
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from shared.sql.place import Place, open_db

SCHEMA = """
CREATE TABLE IF NOT EXISTS endpoints (
  id TEXT PRIMARY KEY, owner TEXT, url TEXT, event_types TEXT, secret TEXT, created_at TEXT,
  position INTEGER, feed TEXT);
CREATE TABLE IF NOT EXISTS deliveries (
  id TEXT PRIMARY KEY, endpoint_id TEXT, seq INTEGER, event_id TEXT, type TEXT, body BLOB, state TEXT,
  attempts INTEGER DEFAULT 0, first_attempt_at REAL, next_attempt_at REAL, last_status INTEGER,
  last_error TEXT, delivered_at REAL);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS deliveries_endpoint ON deliveries (endpoint_id, seq);
CREATE TABLE IF NOT EXISTS attempts (
  delivery_id TEXT, n INTEGER, at REAL, status INTEGER, error TEXT, duration_ms REAL, PRIMARY KEY (delivery_id, n));
"""
ATTEMPTS_KEPT = 10  # per delivery: the last ones, what a portal's developer looks at


def delivery_id(endpoint_id: str, event_id: str) -> str:
    return str(uuid5(NAMESPACE_URL, f"sop-webhook/{endpoint_id}/{event_id}"))


class WebhookStore:
    def __init__(self, place: Place):
        self.db = open_db(place)
        self.db.script(SCHEMA)

    def add(self, endpoint: dict[str, Any]) -> None:
        row = endpoint | {"event_types": json.dumps(endpoint["event_types"])}
        self.db.execute(f"INSERT INTO endpoints ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                        tuple(row.values()))

    def endpoints(self, owner: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM endpoints", ()
        if owner is not None:
            sql, args = sql + " WHERE owner = ?", (owner,)
        return [self._endpoint(r) for r in self.db.execute(sql + " ORDER BY created_at, id", args)]

    def endpoint(self, owner: str, endpoint_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM endpoints WHERE id = ? AND owner = ?", (endpoint_id, owner)).fetchone()
        return self._endpoint(row) if row else None

    def delete(self, endpoint_id: str) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE endpoint_id = ?)",
                            (endpoint_id,))
            self.db.execute("DELETE FROM deliveries WHERE endpoint_id = ?", (endpoint_id,))
            self.db.execute("DELETE FROM endpoints WHERE id = ?", (endpoint_id,))

    def schedule(self, endpoint_id: str, deliveries: list[dict[str, Any]], position: int, now: float) -> None:
        """New deliveries of one endpoint and where its part of the feed was read to: one transaction."""
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO deliveries (id, endpoint_id, seq, event_id, type, body, state, next_attempt_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT DO NOTHING",
                [(d["id"], endpoint_id, d["seq"], d["event_id"], d["type"], d["body"], now) for d in deliveries])
            self.db.execute("UPDATE endpoints SET position = ? WHERE id = ?", (position, endpoint_id))

    def rewind(self, endpoint_id: str, position: int, feed: str) -> None:
        self.db.execute("UPDATE endpoints SET position = ?, feed = ? WHERE id = ?", (position, feed, endpoint_id))

    def claim_due(self, now: float, limit: int, lease_s: float) -> list[dict[str, Any]]:
        """Up to `limit` due deliveries, each leased to the caller until `now + lease_s`: another dispatcher on
        this store (a replica of intake) does not take them while this one tries, and takes them again if
        this one dies before recording its attempt. The outer `next_attempt_at <= ?` is checked again on a
        row another claim changed meanwhile, so two claims never both win one row."""
        rows = self.db.execute(
            "UPDATE deliveries SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at <= ? AND id IN "
            "(SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ? "
            "ORDER BY next_attempt_at, seq LIMIT ?) RETURNING *", (now + lease_s, now, now, limit)).fetchall()
        urls = {r["endpoint_id"]: None for r in rows}
        for endpoint_id in urls:
            urls[endpoint_id] = self.db.execute("SELECT url, secret FROM endpoints WHERE id = ?", (endpoint_id,)).fetchone()
        return sorted((dict(r) | dict(urls[r["endpoint_id"]]) for r in rows if urls[r["endpoint_id"]]),
                      key=lambda d: d["seq"])

    def attempted(self, delivery: dict[str, Any], at: float, status: int | None, error: str | None,
                  duration_ms: float, state: str, next_at: float | None) -> None:
        n = delivery["attempts"] + 1
        with self.db.transaction():
            self.db.execute("INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id, n) DO UPDATE "
                            "SET at = excluded.at, status = excluded.status, error = excluded.error, "
                            "duration_ms = excluded.duration_ms",
                            (delivery["id"], n, at, status, error, duration_ms))
            self.db.execute("DELETE FROM attempts WHERE delivery_id = ? AND n <= ?", (delivery["id"], n - ATTEMPTS_KEPT))
            self.db.execute(
                "UPDATE deliveries SET attempts = ?, first_attempt_at = COALESCE(first_attempt_at, ?), state = ?, "
                "next_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ? WHERE id = ?",
                (n, at, state, next_at, status, error, at if state == "delivered" else None, delivery["id"]))

    def requeue(self, endpoint_id: str, after: int, states: tuple[str, ...], now: float) -> int:
        """Deliveries of the endpoint after the cursor, in these states, tried again from now (a fresh period)."""
        return self.db.execute(
            f"UPDATE deliveries SET state = 'pending', next_attempt_at = ?, first_attempt_at = NULL "
            f"WHERE endpoint_id = ? AND seq > ? AND state IN ({', '.join('?' * len(states))})",
            (now, endpoint_id, after, *states)).rowcount

    def page(self, endpoint_id: str, state: str | None, after: int, limit: int) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM deliveries WHERE endpoint_id = ? AND seq > ?", [endpoint_id, after]
        if state:
            sql, args = sql + " AND state = ?", [*args, state]
        found = [dict(r) for r in self.db.execute(sql + " ORDER BY seq LIMIT ?", [*args, limit + 1])]
        for d in found:
            d["last_attempts"] = [dict(a) for a in self.db.execute(
                "SELECT n, at, status, error, duration_ms FROM attempts WHERE delivery_id = ? ORDER BY n DESC LIMIT 5",
                (d["id"],))]
        return found

    def counts(self, endpoint_id: str) -> dict[str, int]:
        found = dict(self.db.execute("SELECT state, COUNT(*) FROM deliveries WHERE endpoint_id = ? GROUP BY state",
                                     (endpoint_id,)).fetchall())
        return {s: found.get(s, 0) for s in ("pending", "delivered", "dead")}

    @staticmethod
    def _endpoint(row: Any) -> dict[str, Any]:
        return dict(row) | {"event_types": json.loads(row["event_types"])}
