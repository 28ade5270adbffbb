"""The audit log as an inspector meets it after real cases: `sop verify` intact for every service, the heads
on their stream, and the export over the API (operator only) checked by the README's own script."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pypdfium2
import pytest
from redis import Redis
from typer.testing import CliRunner

from shared.agency import agency
from shared.chain.heads import chain_heads_stream
from system.cli import app
from system.demo import auth, run_scenario, scenarios
from tests.e2e.test_cli import settings_of

pytestmark = pytest.mark.integration
README = Path(__file__).parents[2] / "README.md"
OPERATOR = {"Authorization": "Bearer demo-operator"}


def inspectors_script() -> str:
    text = README.read_text(encoding="utf-8").split("## Audit: a log you can prove", 1)[1]
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


def test_after_cases_verify_is_intact_and_the_export_checks_out(api, system, tmp_path):
    case_id = run_scenario(api, scenarios()[0], 131)
    found = json.loads(CliRunner().invoke(app, ["verify", "--json"], env=settings_of(system)).stdout)
    assert found["intact"], found
    assert all(found["services"][s]["count"] > 0 for s in ("intake", "routing", "documents", "sla"))

    today = datetime.now(agency().tz).date().isoformat()  # the agency's day, as the period is read
    refused = api.get("/audit/export", params={"from": today, "to": today}, headers=auth("petugas_tu"))
    assert refused.status_code == 403 and set(refused.json()) == {"error", "reason"}
    for bad in ({"from": today, "to": "2026-02-30"}, {"from": today, "to": today, "format": "xml"}):
        answer = api.get("/audit/export", params=bad, headers=OPERATOR)
        assert answer.status_code == 422 and {"error", "reason"} <= set(answer.json())

    exported = api.get("/audit/export", params={"from": today, "to": today}, headers=OPERATOR, timeout=60)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in exported.text.splitlines()]
    steps = [r for r in rows if r["case_id"] == case_id and r["event_type"] == "StepCompleted"]
    assert steps and all(r["actor_id"] and r["role"] and r["decision"] and r["occurred_at"] for r in steps)
    (tmp_path / "audit.jsonl").write_text(exported.text, encoding="utf-8")
    (tmp_path / "check.py").write_text(inspectors_script(), encoding="utf-8")
    checked = subprocess.run([sys.executable, str(tmp_path / "check.py"), str(tmp_path / "audit.jsonl")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    heads = dict(line.split() for line in checked.stdout.splitlines())
    assert set(heads) == {"intake", "routing", "documents", "sla"}

    forged = rows[3] | {"state": rows[2]["state"]}
    (tmp_path / "forged.jsonl").write_text("\n".join(json.dumps(r) for r in [*rows[:3], forged, *rows[4:]]))
    broken = subprocess.run([sys.executable, str(tmp_path / "check.py"), str(tmp_path / "forged.jsonl")],
                            capture_output=True, text=True)
    assert broken.returncode == 1 and f"position {rows[3]['position']}" in broken.stderr

    for fmt, media in (("csv", "text/csv"), ("pdf", "application/pdf")):
        answer = api.get("/audit/export", params={"from": today, "to": today, "format": fmt},
                         headers=OPERATOR, timeout=60)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)
    assert "link_hash" in api.get("/audit/export", params={"from": today, "to": today, "format": "csv"},
                                  headers=OPERATOR).text.splitlines()[0]
    pdf = pypdfium2.PdfDocument(answer.content)
    assert "Layanan routing" in "".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))
    pdf[0].render(scale=1.3).to_pil().save(tmp_path / "audit.png")

    redis = Redis.from_url(system.env["SOP_REDIS_URL"])
    try:
        entries = wait_for_heads(redis, chain_heads_stream(system.env["SOP_STREAM_PREFIX"]))
    finally:
        redis.close()
    assert {"intake", "routing", "documents", "sla"} <= {f[b"service"].decode() for _, f in entries}


def wait_for_heads(redis: Redis, stream: str, wait_s: float = 30):
    """The services check their heads every 5 s; a busy one (documents, after a session of renders) has
    once needed more than 15 s on the shared e2e system."""
    deadline = time.monotonic() + wait_s
    while True:
        entries = redis.xrange(stream)
        if len({f[b"service"] for _, f in entries}) == 4 or time.monotonic() > deadline:
            return entries
        time.sleep(0.5)
