"""`sop verify` as a person runs it: intact with every service's head, or the broken link named."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from system.cli import app
from tests.integration.chain_support import fill, flip_one_byte


def env_of(settings) -> dict[str, str]:
    env = {"SOP_PERSISTENCE": settings.persistence, "SOP_DATA_DIR": str(settings.data_dir),
           "SOP_POSTGRES_SCHEMA_PREFIX": settings.postgres_schema_prefix}
    return env


def test_verify_shows_each_service_and_names_an_edited_row(store_settings):
    fill(store_settings, notes=3)
    result = CliRunner().invoke(app, ["verify"], env=env_of(store_settings))
    assert result.exit_code == 0, result.output
    assert "intact" in result.stdout and "no store yet" in result.stdout and "routing" in result.stdout
    found = json.loads(CliRunner().invoke(app, ["verify", "--json"], env=env_of(store_settings)).stdout)
    assert found["intact"] and found["services"]["intake"]["count"] == 6 and found["services"]["sla"] is None
    flip_one_byte(store_settings, 4)
    broken = CliRunner().invoke(app, ["verify"], env=env_of(store_settings))
    assert broken.exit_code == 1 and "edited at position 4" in broken.stdout
    assert "intake" in broken.stdout and "the 3 links before it hold" in broken.stdout


def test_verify_refuses_in_one_line_when_nothing_is_stored(tmp_path):
    result = CliRunner().invoke(app, ["verify"], env={"SOP_PERSISTENCE": "memory", "SOP_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 1 and "nothing stored to verify" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
