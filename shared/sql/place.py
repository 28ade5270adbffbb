"""Where a store's tables live: a SQLite file in the data folder, or, with SOP_PERSISTENCE=postgres, a
PostgreSQL schema of the same name (`<prefix>_<file stem>`, e.g. sop_intake_views_v4).

A schema per store rather than the service's event-store schema: a read model's version is in its name
(a new version rebuilds from event 1 into a new place, the old one is left whole), and its tables
(`processed`, `tracking`, `register`...) stay apart from the event store's and its recorders'.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shared.settings import Settings
from shared.sql.db import Db, SqliteDb


@dataclass(frozen=True)
class PostgresSchema:
    settings: Settings
    name: str


Place = Path | str | PostgresSchema


def store_place(settings: Settings, name: str) -> Place:
    """The place of the store called `name` (its SQLite file's stem, e.g. "intake-views-v4")."""
    if settings.persistence == "memory":
        return ":memory:"
    if settings.persistence == "postgres":
        return PostgresSchema(settings, f"{settings.postgres_schema_prefix}_{name}".replace("-", "_"))
    return settings.data_dir / f"{name}.db"


def open_db(place: Place) -> Db:
    if isinstance(place, PostgresSchema):
        from shared.sql.postgres import PostgresDb  # psycopg only where PostgreSQL is used

        return PostgresDb(place.settings, place.name)
    return SqliteDb(place)
