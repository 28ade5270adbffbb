"""The library's PostgreSQL persistence, on connections that never prepare statements.

psycopg 3.3 (3.3.9 here) sends a named Parse for each statement the library marks `prepare=True`, inside a
pipeline. When an earlier statement of that pipeline fails (a uniqueness violation: a second replica or
a retried COMMIT meeting its own row), the server skips the rest up to the Sync, the Parse included, yet
the connection remembers the name as prepared: later statements on it fail with "prepared statement
"_pg3_N" does not exist" (seen with two processes of every service, tests/e2e/test_replicas.py; psycopg
issue #280 gives the same remedy). `prepare_threshold=None` turns preparing off on the connection, for
every statement (`Connection.prepare_threshold`); the cost is a parse per statement on the server.
Selected in shared/eventstore.py as PERSISTENCE_MODULE.
"""
from __future__ import annotations

from eventsourcing.postgres import PostgresFactory


class UnpreparedPostgresFactory(PostgresFactory):
    def __init__(self, env):  # noqa: ANN001 - the library's Environment
        super().__init__(env)
        # The pool opens its connections later (open=False), with these arguments.
        self.datastore.pool.kwargs["prepare_threshold"] = None
