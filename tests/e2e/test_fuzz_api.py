"""Fuzzes the portal API with schemathesis: every operation of intake's /openapi.json, every check, once with
a staff key, once with the portal's key, once with the operator's (dead letters and the audit export only) and once with no key
at all, against a private copy of the system.

Schemathesis runs as its CLI (`st run`) in a subprocess: the CLI is the 4.x interface that runs all four
phases (examples, coverage, fuzzing, stateful) from one config, and a subprocess keeps Hypothesis and
schemathesis's state out of this pytest process.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from system.demo import auth, run_scenario, scenarios, submission, wait_until
from system.demo_documents import case_documents
from tests.support import private_system

pytestmark = pytest.mark.integration

HOOKS = Path(__file__).with_name("fuzz_checks.py")  # adds the `key_required` check
# Each run: the key it sends (None: no Authorization header at all) and the paths it covers (None: all).
# The operator's key only opens the dead-letter operations and the audit export, which every other key must be refused.
RUNS = {"staff-key": ("demo-tu", None), "portal-key": ("demo-portal", None),
        "operator-key": ("demo-operator", "^/(admin|audit)/"), "no-key": (None, None)}
MAX_EXAMPLES = 50  # per operation and phase; a run over every operation takes under a minute on 2 cores
STATEFUL_MAX_STEPS = 20
RUN_TIMEOUT_S = 300
# Checks left out of `--checks all`, each with the reason. None is: a failing check is a defect to fix.
EXCLUDED_CHECKS: dict[str, str] = {}
# positive_data_acceptance: a schema-valid request may still be refused with 422 for a rule OpenAPI cannot
# state, each one tested by name elsewhere: a step the case's SOP lacks or a decision the current step does
# not take (tests/e2e/test_walkthrough.py), occurred_at outside the back-dating window around *now*, a
# period that ends before it starts, exactly one of sha256/number, a date before 2000 (JSON Schema has no
# bounds for dates), a cursor this API did not hand out, an Idempotency-Key used on another route or body
# (tests/e2e/test_api_writes.py), an empty upload, a deadline extension on an SOP without a statutory clock;
# and 415 for an upload whose content is not the type it claims (checked by content, tests/e2e/test_gates.py).
ACCEPTED_REFUSALS = ["2xx", "3xx", "401", "403", "404", "409", "415", "422", "429"]
# Share of generated values of these parameters taken from the live system instead (see live_identifiers).
LIVE_VALUE_PROBABILITY = 0.5


@pytest.fixture(scope="module")
def fuzz_system(tmp_path_factory):
    # Its own copy rather than the session's `system`: the fuzzer submits, moves and pauses cases at random,
    # and the other end-to-end tests must not see them.
    # A long poll shorter than schemathesis's request timeout (10 s), which a wait= at its bound would outlast.
    with private_system("test-fuzz", tmp_path_factory.mktemp("fuzz-data"), SOP_FEED_MAX_WAIT_S="2") as running:
        yield running


def live_identifiers(base_url: str, n: int) -> dict[str, list]:
    """Real values for the path and query parameters, so that the fuzzer gets past 404: a fresh case of
    every SOP waiting at step 2, and one SOP C case run to the end (every document kind, a numbered letter)."""
    with httpx.Client(base_url=base_url, timeout=15) as api:
        sops = [s["id"] for s in api.get("/sops", headers=auth("petugas_tu")).json()]
        cases = []
        for offset, sop_id in enumerate(sops):
            r = api.post("/requests", json=submission(sop_id, n + offset), headers=auth("pemohon"))
            r.raise_for_status()
            cases.append(r.json()["case_id"])
            wait_until(api, cases[-1], lambda c: c["current_step"] == 2)
        finished = run_scenario(api, scenarios()[7], n + len(sops))  # SOP C answered in full
        cases.append(finished)
        documents = documents_settled(api, finished)
    return {"cases": cases, "sops": sops, "kinds": sorted({d["kind"] for d in documents}),
            "revisions": sorted({r["revision"] for d in documents for r in d["revisions"]}),
            "steps": list(range(1, 13))}


def documents_settled(api: httpx.Client, case_id: str, timeout_s: float = 30) -> list[dict]:
    """The case's documents once the signed reply is listed (documents trails routing's events)."""
    deadline = time.monotonic() + timeout_s
    while True:
        listed = case_documents(api, case_id, auth("petugas_tu"))
        if any(d["kind"] == "surat_jawaban" and d["number"] for d in listed):
            return listed
        if time.monotonic() > deadline:
            raise AssertionError(f"case {case_id} has only {[d['kind'] for d in listed]}")
        time.sleep(0.2)


def toml_value(value) -> str:
    return json.dumps(value)  # JSON strings, numbers and arrays of them are TOML too


def write_config(path: Path, live: dict[str, list]) -> Path:
    """schemathesis.toml: live values as dictionaries bound to the parameters that name them."""
    bindings = {"path.case_id": "cases", "path.sop_id": "sops", "query.sop_id": "sops", "path.kind": "kinds",
                "path.revision": "revisions", "path.step": "steps"}
    lines = ["[parameters]"]
    lines += [f'"{key}" = {{ dictionary = "{name}", probability = {LIVE_VALUE_PROBABILITY} }}'
              for key, name in bindings.items()]
    lines += ["", "[phases.stateful]", f"max-steps = {STATEFUL_MAX_STEPS}", ""]
    lines += ["[checks.positive_data_acceptance]", f"expected-statuses = {toml_value(ACCEPTED_REFUSALS)}", ""]
    for name, values in live.items():
        lines += [f"[dictionaries.{name}]", f"values = {toml_value(values)}", ""]
    path.write_text("\n".join(lines))
    return path


def st_command(openapi_url: str, config: Path, report_dir: Path, key: str | None, paths: str | None) -> list[str]:
    command = [sys.executable, "-m", "schemathesis.cli", "--no-color", "--config-file", str(config), "run",
               openapi_url, "--checks", "all", "--max-examples", str(MAX_EXAMPLES),
               # Deterministic generation (which also means no example database): the same code, the same cases.
               "--generation-deterministic",
               # One worker: the order of requests, and so the server's state, is the same every run.
               "--workers", "1", "--request-timeout", "10", "--continue-on-failure",
               # The demo keys are public; unsanitized output makes every printed curl line work as is.
               "--output-sanitize", "false",
               "--report", "json,junit", "--report-dir", str(report_dir)]
    if EXCLUDED_CHECKS:
        command += ["--exclude-checks", ",".join(EXCLUDED_CHECKS)]
    if key:
        command += ["--header", f"Authorization: Bearer {key}"]
    if paths:
        command += ["--include-path-regex", paths]
    return command


@pytest.mark.parametrize("run", list(RUNS))
def test_every_operation_passes_every_check(fuzz_system, tmp_path, run):
    key, paths = RUNS[run]
    base_url = fuzz_system.url("intake")
    live = live_identifiers(base_url, n=700 + list(RUNS).index(run) * 10)
    config = write_config(tmp_path / "schemathesis.toml", live)
    env = os.environ | {"SCHEMATHESIS_HOOKS": str(HOOKS)}
    done = subprocess.run(st_command(f"{base_url}/openapi.json", config, tmp_path / "report", key, paths), env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    (tmp_path / "st-run.txt").write_text(done.stdout + done.stderr)
    reports = list((tmp_path / "report").glob("json-*.json"))
    assert reports, done.stdout[-4000:] + done.stderr[-4000:]
    report = json.loads(reports[0].read_text())
    assert report["complete"] and not report["errors"], done.stdout[-4000:] + done.stderr[-4000:]
    assert report["operations"]["tested"] == report["operations"]["selected"], report["operations"]
    failures = [f"{f['code']} {f['title']} x{f['count']}: {', '.join(f['operations'])}" for f in report["failures"]]
    assert not failures, (
        "\n".join(failures) + f"\n\nfull output in {tmp_path / 'st-run.txt'}\n" + failures_section(done.stdout))
    exit_code = done.returncode  # a plain int, so that a failure message does not repeat the whole output
    assert exit_code == 0, done.stdout[-4000:]


def failures_section(output: str) -> str:
    """The CLI's FAILURES block: each failing operation, the check, what the server said, a curl line."""
    start = output.find("= FAILURES =")
    end = output.find("= WARNINGS =") if "= WARNINGS =" in output else output.find("= SUMMARY =")
    section = output[max(0, output.rfind("\n", 0, start)):end] if start >= 0 else output[-6000:]
    return "\n".join(line for line in section.splitlines() if line.strip())
