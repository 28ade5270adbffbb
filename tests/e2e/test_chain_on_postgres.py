"""The four services on PostgreSQL (a schema each, dropped after): after a case every service's log is
chained, `sop verify` says intact, and an edited row is named by `psql`'s own terms: schema, position.
Their read models, key store and webhook store are in PostgreSQL too: no SQLite file is made."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from system.cli import app
from system.demo import run_scenario, scenarios
from system.demo_documents import CLERK, case_documents
from tests.support import private_system

pytestmark = pytest.mark.integration
# The services and the CLI's stores at once, on a server other suites share (100 connections): the library's
# pools at 5 + 10 each would take most of them.
SMALL_POOLS = {"POSTGRES_POOL_SIZE": "2", "POSTGRES_MAX_OVERFLOW": "3"}


@pytest.fixture
def postgres_system(tmp_path):
    prefix = f"test_chain_{uuid.uuid4().hex[:8]}"
    try:
        with private_system("test-chain-pg", tmp_path, SOP_PERSISTENCE="postgres",
                            SOP_POSTGRES_SCHEMA_PREFIX=prefix, **SMALL_POOLS) as running:
            yield running, prefix
    finally:
        with psycopg.connect(host="127.0.0.1", user="postgres", dbname="test", autocommit=True) as conn:
            for (schema,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                                          (f"{prefix}_%",)).fetchall():
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def assert_read_models_in_postgres(prefix: str) -> None:
    from services.intake.views.store import VIEWS_VERSION
    from services.sla.projection import SLA_VIEWS_VERSION
    from shared.projections.register import REGISTER_VERSION

    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="test", autocommit=True) as conn:
        def count(schema: str, table: str) -> int:
            return conn.execute(f'SELECT COUNT(*) FROM "{prefix}_{schema}".{table}').fetchone()[0]

        assert count(f"intake_views_v{VIEWS_VERSION}", "register") >= 1
        assert count(f"intake_views_v{VIEWS_VERSION}", "audit") > 5
        assert count(f"documents_register_v{REGISTER_VERSION}", "register") >= 1
        assert count(f"sla_views_v{SLA_VIEWS_VERSION}", "visits") > 1
        assert count("keys", "subject_keys") >= 1
        assert count("intake_webhooks", "endpoints") == 0  # made, though no portal registered one
        assert count("documents_blobs", "blobs") >= 1  # the PDF asked for


def test_every_service_is_chained_on_postgres_and_an_edited_row_is_named(postgres_system):
    import httpx

    system, prefix = postgres_system
    with httpx.Client(base_url=system.url("intake"), timeout=15) as api:
        case_id = run_scenario(api, scenarios()[0], 1)
        first = case_documents(api, case_id)[0]  # rendered on this request, and stored
        assert api.get(f"/cases/{case_id}/documents/{first['kind']}.pdf", headers=CLERK).content.startswith(b"%PDF")
    data = Path(system.env["SOP_DATA_DIR"])
    assert not list(data.rglob("*.db")) and not (data / "documents").exists(), "a store was kept in a file"
    assert_read_models_in_postgres(prefix)
    env = {k: v for k, v in system.env.items() if k.startswith("SOP_")} | SMALL_POOLS
    found = json.loads(CliRunner().invoke(app, ["verify", "--json"], env=env).stdout)
    assert found["intact"] and all(found["services"][s]["count"] > 0 for s in ("intake", "routing", "documents", "sla"))
    run = CliRunner().invoke(app, ["replay", "--json"], env=env)  # PostgreSQL's rows
    assert run.exit_code == 0, (run.output, run.exception)
    replayed = json.loads(run.stdout)
    assert replayed["identical"] and all(m["rows"] for m in replayed["read_models"])  # against a SQLite rebuild
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="test", autocommit=True) as conn:
        conn.execute(f"UPDATE \"{prefix}_routing\".routing_events SET state = overlay(state placing '\\x20'::bytea "
                     "from 5 for 1) WHERE notification_id = 3")
    broken = CliRunner().invoke(app, ["verify"], env=env)
    assert broken.exit_code == 1 and "edited at position 3" in broken.stdout and f"{prefix}_routing" in broken.stdout
