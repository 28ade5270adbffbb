"""Where a test's stores live: SQLite in memory unless the test runs under the `each_database` fixture
(tests/conftest.py), which runs it once on SQLite and once on PostgreSQL, each store in a schema of its own."""
from __future__ import annotations

import gc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from shared.settings import Settings
from shared.sql.place import Place, PostgresSchema

_current: list[Callable[[], Place]] = [lambda: ":memory:"]


def new_place() -> Place:
    """An empty place for one store, on the database the test runs against."""
    return _current[0]()


def drop_schemas(prefix: str) -> None:
    import psycopg

    gc.collect()  # the stores' connections close with them: none is left holding the schema
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="test", autocommit=True) as conn:
        for (schema,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                                      (f"{prefix}\\_%",)).fetchall():
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@contextmanager
def on(database: str) -> Iterator[None]:
    if database == "sqlite":
        yield
        return
    prefix = f"test_{uuid.uuid4().hex[:10]}"
    settings, made = Settings(persistence="postgres", postgres_schema_prefix=prefix), iter(range(10**6))
    _current[0] = lambda: PostgresSchema(settings, f"{prefix}_store_{next(made)}")
    try:
        yield
    finally:
        _current[0] = lambda: ":memory:"
        drop_schemas(prefix)
