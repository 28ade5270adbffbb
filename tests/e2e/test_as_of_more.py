"""`sop case show --as-of`, a paused case and a revision rendered later, each read as of an instant."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from system.demo import auth, submission, wait_until
from tests.e2e.as_of_support import CLERK, at, between_steps, read, walked_case

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def walked(system):
    return walked_case(system, 803)


def test_sop_case_show_prints_the_case_as_it_stood_between_steps_6_and_7(walked, system):
    from typer.testing import CliRunner

    from system.cli import app
    from system.demo import KEYS

    case_id, trail, _ = walked
    done, following, instant = next(p for p in between_steps(trail) if (p[0]["step"], p[1]["step"]) == (6, 7))
    env = {k: v for k, v in system.env.items() if k.startswith("SOP_")} | {"SOP_API_KEY": KEYS["petugas_tu"]}
    shown = CliRunner().invoke(app, ["case", "show", case_id, "--as-of", instant.isoformat()], env=env)
    assert shown.exit_code == 0, shown.output
    assert f"(as of {instant:%Y-%m-%dT%H:%M:%S}" in shown.output and "Audit trail" in shown.output
    assert "SLA clocks" in shown.output and "Documents" in shown.output and "sub_koordinator" in shown.output
    found = json.loads(CliRunner().invoke(app, ["case", "show", case_id, "--as-of", instant.isoformat(), "--json"],
                                          env=env).stdout)
    seen = [h["event_id"] for h in found["case"]["history"]]  # other services' events may follow step 6's
    assert at(found["case"]["as_of"]) == instant and found["case"]["current"]["step"] == 7
    assert done["event_id"] in seen and following["event_id"] not in seen
    assert [v["step"] for v in found["sla"]["visits"] if v["completed_at"] is None] == [7]
    naive = CliRunner().invoke(app, ["case", "show", case_id, "--as-of", "2026-03-02T10:15:00"], env=env)
    lines = naive.output.strip().splitlines()
    assert naive.exit_code == 1 and len(lines) == 1 and "answered 422" in lines[0], naive.output


def test_while_paused_the_case_shows_paused_and_its_clocks_stand_still(api):
    case_id = api.post("/requests", json=submission("sop-b", 802), headers=auth("pemohon")).json()["case_id"]
    wait_until(api, case_id, lambda c: c["current_step"] == 2)
    assert api.post(f"/cases/{case_id}/pause", json={"reason": "Menunggu lampiran"}, headers=CLERK).status_code == 200
    assert api.post(f"/cases/{case_id}/resume", json={"reason": "Lampiran diterima"}, headers=CLERK).status_code == 200
    wait_until(api, case_id, lambda c: c["status"] == "open" and c["version"] >= 4)
    trail = api.get(f"/cases/{case_id}/audit", headers=CLERK).json()["items"]
    paused, resumed = (next(e for e in trail if e["type"] == kind) for kind in ("CasePaused", "CaseResumed"))
    during = at(paused["recorded_at"]) + (at(resumed["recorded_at"]) - at(paused["recorded_at"])) / 2
    case = read(api, f"/cases/{case_id}", during).json()
    assert case["status"] == "paused" and case["paused"] and case["current"]["step"] == 2
    sla = read(api, f"/cases/{case_id}/sla", during).json()
    assert sla["clock"]["paused_since"] and not sla["clock"]["sop_overdue"]
    step_2 = next(v for v in sla["visits"] if v["completed_at"] is None)
    assert step_2["step"] == 2 and step_2["paused_since"] and step_2["overdue"] is False
    after = read(api, f"/cases/{case_id}", at(resumed["recorded_at"])).json()
    assert after["status"] == "open" and not after["paused"]


def test_a_revision_rendered_later_shows_no_digest_before_it_was_rendered(api, walked):
    """Last in this file: the rendering adds to the case's log what the tests above compare with."""
    case_id, trail, _ = walked
    before = at(trail[-1]["recorded_at"])
    listed = api.get(f"/cases/{case_id}/documents", headers=CLERK).json()["items"]
    letter = next(d for d in listed if d["kind"] == "surat_masuk")
    assert api.get(letter["download"], headers=CLERK).status_code == 200  # rendered now, its digest recorded
    now = datetime.now(timezone.utc)
    then = {d["kind"]: d for d in read(api, f"/cases/{case_id}/documents", before).json()["items"]}
    later = {d["kind"]: d for d in read(api, f"/cases/{case_id}/documents", now).json()["items"]}
    assert then["surat_masuk"]["sha256"] is None and later["surat_masuk"]["sha256"]
    assert later["surat_masuk"]["revisions"][-1]["sha256"] == later["surat_masuk"]["sha256"]
