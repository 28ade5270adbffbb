"""A read model on PostgreSQL whose connections the server cut (a restart, a failover) works again without
a restart of the process: the statement that met the break fails, the next one opens a new connection."""
from __future__ import annotations

import psycopg
import pytest

from services.intake.views.store import ViewStore
from shared.sql.postgres import PostgresDb
from tests.places import new_place, on
from tests.unit.test_projection_folds import a_case

pytestmark = pytest.mark.integration


def cut(db: PostgresDb) -> int:
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="test", autocommit=True) as admin:
        return len(admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                                 (db.schema,)).fetchall())


def test_a_store_whose_connections_were_cut_works_again_from_the_next_statement():
    with on("postgres"):
        views = ViewStore(new_place())
        _, messages = a_case()
        assert views.apply_batch(messages[:3]) == {} and views.register()
        assert cut(views.db) == 2  # its reader and its writer
        with pytest.raises(psycopg.OperationalError):
            views.register()  # the read that meets the break
        assert len(views.register()) == 1
        # The batch's first try meets the broken writer; its second (event by event) has a new one.
        assert views.apply_batch(messages[3:]) == {}
        assert views.case(messages[0].case_id)["outcome"] == "completed"
        assert views.heads() == {"intake": messages[0].position, "routing": messages[-1].position}
