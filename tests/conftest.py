"""Fixtures shared by the suites: a private Redis key space on the real server, cleaned up after."""
from __future__ import annotations

import uuid

import pytest

from tests.support import delete_keys

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def prefix() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def clean_redis(prefix: str):
    """Yields the URL; deletes every key under this test's prefix afterwards."""
    yield REDIS_URL
    delete_keys(prefix)


@pytest.fixture(params=["sqlite", "postgres"])
def store_settings(request, tmp_path):
    """Settings for an event store on SQLite (a temp file) and on PostgreSQL (own schemas, dropped after)."""
    from shared.settings import Settings

    if request.param == "sqlite":
        yield Settings(persistence="sqlite", data_dir=tmp_path)
        return
    import psycopg

    prefix = f"test_{uuid.uuid4().hex[:10]}"
    yield Settings(persistence="postgres", postgres_schema_prefix=prefix, data_dir=tmp_path)
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="test", autocommit=True) as conn:
        schemas = conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (f"{prefix}_%",)).fetchall()
        for (schema,) in schemas:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgres"])
def each_database(request):
    """Runs the test once with its stores on SQLite and once on PostgreSQL (tests/places.py)."""
    from tests.places import on

    with on(request.param):
        yield request.param
