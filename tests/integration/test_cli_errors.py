"""`sop` with nothing where it looks: one line that names the place and the way out, never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from system.cli import app
from tests.support import free_port

pytestmark = pytest.mark.integration


def sop(*args: str, **env: str):
    return CliRunner().invoke(app, list(args), env=env)


def one_line_error(result) -> str:
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_demo_finds_the_api_where_the_services_are_told_to_run(tmp_path):
    port = free_port()  # nothing listens there
    line = one_line_error(sop("demo", SOP_INTAKE_PORT=str(port), SOP_DATA_DIR=str(tmp_path)))
    assert f"cannot reach the API at http://127.0.0.1:{port}" in line and "sop up" in line and "--api" in line


def test_report_finds_the_sla_service_where_the_gateway_does(tmp_path):
    port = free_port()
    line = one_line_error(sop("report", "--from", "2026-01-01", "--to", "2026-01-31", SOP_SLA_PORT=str(port)))
    assert f"cannot reach the SLA service at http://127.0.0.1:{port}" in line and "SOP_SLA_PORT" in line
    line = one_line_error(sop("report", "--from", "2026-01-01", "--to", "2026-01-31",
                              SOP_SLA_URL=f"http://127.0.0.1:{port}/"))
    assert f"http://127.0.0.1:{port} " in line


def test_a_redis_that_does_not_answer_is_one_line(tmp_path):
    url = f"redis://127.0.0.1:{free_port()}/0"
    # (`sop replay` reads the services' own stores, not Redis, unless the stores live in memory)
    for command, extra in (("dead-letters", {}), ("replay", {"SOP_PERSISTENCE": "memory"})):
        line = one_line_error(sop(command, SOP_REDIS_URL=url, SOP_DATA_DIR=str(tmp_path), **extra))
        assert f"cannot reach Redis at {url}" in line and "SOP_REDIS_URL" in line


def test_an_unexpected_failure_is_one_line_and_sop_debug_shows_it_whole(clean_redis, prefix, tmp_path):
    env = {"SOP_REDIS_URL": clean_redis, "SOP_STREAM_PREFIX": prefix, "SOP_DATA_DIR": str(tmp_path),
           "SOP_PERSISTENCE": "postgres", "SOP_POSTGRES_PORT": str(free_port())}  # the documents' store is down
    line = one_line_error(sop("replay", **env))
    assert "OperationalError" in line and "SOP_DEBUG=1" in line
    debugged = sop("replay", **env, SOP_DEBUG="1")
    assert type(debugged.exception).__name__ == "OperationalError"


def test_the_installed_command_prints_one_line_and_the_traceback_only_when_asked():
    """Through typer's own entry point (CliRunner bypasses the excepthook that prints its tracebacks)."""
    command = [sys.executable, "-m", "system.cli", "demo", "--api", f"http://127.0.0.1:{free_port()}"]
    env = {k: v for k, v in os.environ.items() if k != "SOP_DEBUG"}
    quiet = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert quiet.returncode == 1 and quiet.stdout == "" and "Traceback" not in quiet.stderr
    assert len(quiet.stderr.strip().splitlines()) == 1 and "cannot reach the API" in quiet.stderr
    loud = subprocess.run(command, capture_output=True, text=True, env=env | {"SOP_DEBUG": "1"}, timeout=60)
    assert loud.returncode == 1 and "Traceback" in loud.stderr and "ConnectError" in loud.stderr


def test_a_bad_option_value_is_a_usage_error():
    result = sop("report", "--from", "2026-01-01", "--to", "2026-01-31", "--format", "xls")
    assert result.exit_code == 2 and "Traceback" not in result.output and "'xls' is not one of" in result.output
