"""The operator commands against the running system, as an operator types them."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from shared.cli import app
from shared.demo import run_scenario, scenarios

pytestmark = pytest.mark.integration


def test_sop_replay_reports_identical_for_every_read_model(api, system):
    run_scenario(api, scenarios()[0], 120)
    env = {k: system.env[k] for k in ("SOP_DATA_DIR", "SOP_REDIS_URL", "SOP_STREAM_PREFIX")}
    result = CliRunner().invoke(app, ["replay"], env=env)
    assert result.exit_code == 0, result.output
    assert "register and audit trails: replayed" in result.output and "SLA figures: replayed" in result.output
    assert "documents: re-rendered" in result.output and "differs" not in result.output
    assert "identical" in result.output


def test_sop_dead_letters_lists_none_on_a_healthy_system(system):
    env = {k: system.env[k] for k in ("SOP_DATA_DIR", "SOP_REDIS_URL", "SOP_STREAM_PREFIX")}
    result = CliRunner().invoke(app, ["dead-letters"], env=env)
    assert result.exit_code == 0 and "0 dead letters" in result.output, result.output
