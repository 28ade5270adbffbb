"""Every SOP along every branch through the public API; the register, audit trails and replay agree."""
from __future__ import annotations

import asyncio
import re
import time

import httpx
import pytest

from services.intake.views.replay import replay_views
from services.intake.views.store import VIEWS_VERSION, ViewStore
from shared.settings import Settings
from shared.sop.loader import SopLibrary
from system.demo import auth, every_item, run_scenario, scenarios, submission
from system.stored_messages import StoreSource

pytestmark = pytest.mark.integration
LIBRARY = SopLibrary.from_directory()


def test_every_branch_of_every_sop_reaches_its_outcome_with_a_complete_audit_trail(api):
    for n, scenario in enumerate(scenarios(), start=1):
        case_id = run_scenario(api, scenario, n)
        trail = every_item(api, f"/cases/{case_id}/audit", "petugas_tu")
        steps = [(e["step"], e["decision"], e["actor"]["role"]) for e in trail if e["type"] == "StepCompleted"]
        assert steps == [(1, "submitted", "pemohon")] + scenario.moves
        assert all(e["actor"]["id"] and e["occurred_at"] and e["recorded_at"] for e in trail
                   if e["type"] == "StepCompleted")
        assert [e["type"] for e in trail if e["source"] != "documents"][-1] == "CaseClosed"
        case = api.get(f"/cases/{case_id}", headers=auth("petugas_tu")).json()
        assert case["status"] == "closed" and case["outcome"] == scenario.outcome and case["closed_on"]
        assert case["sop_version"] == LIBRARY.latest(scenario.sop_id).version and case["current"] is None
        # Signed, documents numbers the letter: the reply (step 10), or the written notice of a request the
        # Kepala Badan does not approve (SOP C v2, step 3).
        letter = ("surat_jawaban" if any(step == 10 for step, _, _ in scenario.moves) else
                  "pemberitahuan_tertulis" if scenario.outcome in ("refused", "incomplete") else None)
        if letter:
            numbered = wait_for_letter_number(api, case_id)
            assert re.fullmatch(r"050/\d{3}/BAPPEDA/\d{4}", numbered), numbered
            listed = api.get(f"/cases/{case_id}/documents", headers=auth("petugas_tu")).json()["items"]
            assert [d["number"] for d in listed if d["kind"] == letter] == [numbered]
        else:
            assert "LetterNumbered" not in {e["type"] for e in trail}

    register = every_item(api, "/register", "petugas_tu")
    assert len(register) >= len(scenarios())
    numbers = [r["register_number"] for r in register]
    assert len(set(numbers)) == len(numbers)


def wait_for_letter_number(api, case_id: str, timeout_s: float = 10) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        trail = every_item(api, f"/cases/{case_id}/audit", "petugas_tu")
        numbered = [e["note"] for e in trail if e["type"] == "LetterNumbered"]
        if numbered:
            assert len(numbered) == 1
            return numbered[0]
        time.sleep(0.05)
    raise AssertionError(f"case {case_id} was signed but its letter got no number")


def stores_of(system) -> StoreSource:
    """The running system's own stores, from event 1 (its streams are trimmed behind their readers)."""
    return StoreSource(Settings(data_dir=system.env["SOP_DATA_DIR"], persistence="sqlite"), SopLibrary.from_directory())


def test_replay_rebuilds_identical_read_models(api, system):
    run_scenario(api, scenarios()[0], 99)
    live = f"{system.env['SOP_DATA_DIR']}/intake-views-v{VIEWS_VERSION}.db"
    report = asyncio.run(replay_views(stores_of(system), live))
    assert report.events > 0 and report.identical, report.differences
    assert report.rows["register"] == len(ViewStore(live).register())


def test_replay_gives_the_same_sla_figures(api, system):
    from datetime import date
    from pathlib import Path

    from shared.calendar_settings import CalendarSettings, build_calendar
    from services.sla.projection import SLA_VIEWS_VERSION
    from services.sla.replay import replay_sla

    run_scenario(api, scenarios()[8], 98)
    calendar = build_calendar(CalendarSettings(), around=date.today())
    live = Path(system.env["SOP_DATA_DIR"]) / f"sla-views-v{SLA_VIEWS_VERSION}.db"
    report = asyncio.run(replay_sla(stores_of(system), live, SopLibrary.from_directory(), calendar))
    assert report.events > 0 and report.rows["visits"] > 0 and report.identical, report.differences


def test_refusals_are_clear_and_change_nothing(api):
    case_id = api.post("/requests", json=submission("sop-a", 50), headers=auth("pemohon")).json()["case_id"]
    from system.demo import wait_until
    wait_until(api, case_id, lambda c: c["current_step"] == 2)
    tries = {
        ("kabid", 2, "registered"): (403, "wrong_role"),
        ("petugas_tu", 4, "to_sub_koordinator"): (409, "wrong_step"),
        ("petugas_tu", 2, "approve_everything"): (422, "unknown_decision"),
    }
    for (role, step, decision), (status, code) in tries.items():
        r = api.post(f"/cases/{case_id}/steps/{step}", json={"decision": decision}, headers=auth(role))
        assert (r.status_code, r.json()["error"]) == (status, code), r.text
        assert r.json()["reason"]
    assert api.get(f"/cases/{case_id}", headers=auth("petugas_tu")).json()["current_step"] == 2
    assert api.get("/register").status_code == 401
    assert api.get("/register", headers={"Authorization": "Bearer nope"}).status_code == 401
    bad = api.post("/requests", json={"sop_id": "sop-a", "subject": ""}, headers=auth("pemohon"))
    assert bad.status_code == 422 and {p["field"] for p in bad.json()["fields"]} >= {"body.applicant", "body.subject"}
    assert api.post("/requests", json=submission("sop-z", 1), headers=auth("pemohon")).status_code == 404
    no_letter = submission("sop-c", 1) | {"letter": None}
    assert api.post("/requests", json=no_letter, headers=auth("pemohon")).status_code == 422
    long_name = submission("sop-a", 1)
    long_name["applicant"]["name"] = "x" * 100_000  # too long for the field, not for the body: 422 names it
    refused = api.post("/requests", json=long_name, headers=auth("pemohon"))
    assert refused.status_code == 422 and [f["field"] for f in refused.json()["fields"]] == ["body.applicant.name"]
    huge = submission("sop-a", 1) | {"details": "x" * 2_000_000}
    assert api.post("/requests", json=huge, headers=auth("pemohon")).status_code == 413
    assert api.post("/requests", json=submission("sop-a", 1), headers=auth("kabid")).status_code == 403


def test_two_concurrent_attempts_at_one_step_exactly_one_wins(api, system):
    case_id = api.post("/requests", json=submission("sop-b", 60), headers=auth("pemohon")).json()["case_id"]
    from system.demo import wait_until
    wait_until(api, case_id, lambda c: c["current_step"] == 2)

    async def attempt(client: httpx.AsyncClient) -> int:
        r = await client.post(f"/cases/{case_id}/steps/2", json={"decision": "registered"}, headers=auth("petugas_tu"))
        return r.status_code

    async def race() -> list[int]:
        async with httpx.AsyncClient(base_url=system.url("intake"), timeout=15) as client:
            return await asyncio.gather(*(attempt(client) for _ in range(4)))

    assert sorted(asyncio.run(race())) == [200, 409, 409, 409]
    trail = wait_until(api, case_id, lambda c: c["current_step"] == 4)["history"]
    assert [e["step"] for e in trail if e["type"] == "StepCompleted"] == [1, 2]


def test_health_metrics_and_openapi(api, system):
    for name in ("intake", "routing", "documents", "sla"):
        assert httpx.get(system.url(name) + "/health").json()["status"] == "ok"
        assert "sop_" in httpx.get(system.url(name) + "/metrics").text
    spec = api.get("/openapi.json").json()
    assert {"/requests", "/cases/{case_id}/steps/{step}", "/register", "/inbox", "/health"} <= set(spec["paths"])


def test_every_error_is_json_with_a_reason(api):
    clerk = auth("petugas_tu")
    responses = (
        api.get("/nowhere", headers=clerk),
        api.delete("/register", headers=clerk),
        api.get("/cases/not-a-case", headers=clerk),
        api.post("/cases/x/steps/2", content=b"{", headers=clerk | {"content-type": "application/json"}),
    )
    for response in responses:
        assert response.status_code in (404, 405, 422) and {"error", "reason"} <= set(response.json()) <= {"error", "reason", "fields"}, response.text


def test_a_request_left_open_too_long_is_breached_and_escalated_to_the_role_above(api):
    from system.demo import left_open_too_long

    escalation = left_open_too_long(api)
    assert (escalation["step"], escalation["from_role"], escalation["to_role"]) == (2, "petugas_tu", "sekretaris")
    trail = every_item(api, f"/cases/{escalation['case_id']}/audit", "petugas_tu")
    assert {"StepAtRisk", "StepBreached", "EscalationRaised"} <= {e["type"] for e in trail}
    sla = api.get(f"/cases/{escalation['case_id']}/sla", headers=auth("petugas_tu")).json()
    open_visit = [v for v in sla["visits"] if v["completed_at"] is None][0]
    assert open_visit["step"] == 2 and open_visit["breached_at"]
