"""A small event store of the 'intake' service on SQLite or PostgreSQL, and raw SQL on its tables: what a
person with `sqlite3` or `psql` could do to the rows behind the library's back."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from shared.eventstore import store_env
from shared.settings import Settings


class Note(Aggregate):
    def __init__(self, text: str):
        self.text = text

    @event("Amended")
    def amend(self, text: str) -> None:
        self.text = text


class Intake(Application):
    """Named as the service, so its tables are the ones `sop verify` reads."""


def fill(settings: Settings, notes: int = 4, env: dict[str, str] | None = None) -> Intake:
    app = Intake(env=env or store_env(settings, "intake"))
    for n in range(notes):
        note = Note(f"catatan {n}")
        note.amend(f"catatan {n}, diubah")
        app.save(note)
    return app


@contextmanager
def raw(settings: Settings):
    """(connection, events table, id column) of the intake store, committing on exit."""
    if settings.persistence == "sqlite":
        conn = sqlite3.connect(settings.data_dir / "intake.db")
        yield conn, "stored_events", "rowid", "?"
        conn.commit()
        conn.close()
    else:
        with psycopg.connect(host="127.0.0.1", user="postgres", dbname="test", autocommit=True) as conn:
            yield conn, f'"{settings.postgres_schema_prefix}_intake".intake_events', "notification_id", "%s"


def flip_one_byte(settings: Settings, position: int) -> None:
    with raw(settings) as (conn, table, nid, p):
        state = bytearray(conn.execute(f"SELECT state FROM {table} WHERE {nid} = {p}", (position,)).fetchone()[0])
        state[len(state) // 2] ^= 0x01
        conn.execute(f"UPDATE {table} SET state = {p} WHERE {nid} = {p}", (bytes(state), position))


def delete_row(settings: Settings, position: int) -> None:
    with raw(settings) as (conn, table, nid, p):
        conn.execute(f"DELETE FROM {table} WHERE {nid} = {p}", (position,))


def insert_row(settings: Settings) -> int:
    """A forged event appended to the table as any client could: the next notification id is its."""
    with raw(settings) as (conn, table, nid, p):
        conn.execute(f"INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES ({p}, 1, {p}, {p})",
                     ("3f0e8e2c6a0b4c55a1e4f2a7b9c1d2e3" if p == "?" else "3f0e8e2c-6a0b-4c55-a1e4-f2a7b9c1d2e3",
                      "tests.integration.chain_support:Note.Created", b'{"text":"palsu"}'))
        return conn.execute(f"SELECT max({nid}) FROM {table}").fetchone()[0]


def swap_rows(settings: Settings, first: int, second: int) -> None:
    """Two events trade places in the notification order (their content swapped between the positions)."""
    with raw(settings) as (conn, table, nid, p):
        rows = {n: conn.execute(f"SELECT originator_id, originator_version, topic, state FROM {table} WHERE {nid} = {p}",
                                (n,)).fetchone() for n in (first, second)}
        conn.execute(f"DELETE FROM {table} WHERE {nid} IN ({p}, {p})", (first, second))
        for here, there in ((first, second), (second, first)):
            conn.execute(f"INSERT INTO {table} ({nid}, originator_id, originator_version, topic, state) "
                         f"VALUES ({p}, {p}, {p}, {p}, {p})", (here, *rows[there]))
