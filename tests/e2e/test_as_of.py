"""Any case as of any instant, through the one public API: a SOP C case walked to the end (the data redone
once, parts withheld), then read at instants between its steps. Every answer is checked against the log:
the step current then and who could act, the audit trail up to then, the SLA clocks as they stood, the
document revisions issued by then."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest

from system.demo import auth, run_scenario, scenarios, submission, wait_until
from tests.e2e.test_documents import documents_once_settled

pytestmark = pytest.mark.integration
CLERK = auth("petugas_tu")
KINDS = {"surat_masuk", "surat_permintaan_data", "disposisi_surat", "konsep_surat_jawaban", "hasil_pengolahan_data",
         "surat_jawaban"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def settled_trail(api, case_id: str) -> list[dict]:
    """The live audit trail once every service has recorded its part (documents trail routing)."""
    documents_once_settled(api, case_id, KINDS, numbered=True)
    previous = None
    for _ in range(100):
        trail = api.get(f"/cases/{case_id}/audit", params={"limit": 500}, headers=CLERK).json()["items"]
        if trail == previous and any(e["type"] == "LetterNumbered" for e in trail):
            return trail
        previous = trail
        time.sleep(0.2)
    raise AssertionError(f"the audit trail of {case_id} did not settle")


def read(api, path: str, instant: datetime, headers=CLERK, **params):
    return api.get(path, params={"as_of": instant.isoformat(), **params}, headers=headers)


@pytest.fixture(scope="module")
def walked(system):
    import httpx

    with httpx.Client(base_url=system.url("intake"), timeout=15) as api:
        case_id = run_scenario(api, scenarios()[8], 801)
        trail = settled_trail(api, case_id)
        sla = api.get(f"/cases/{case_id}/sla", headers=CLERK).json()
        yield case_id, trail, sla


def between_steps(trail: list[dict]) -> list[tuple[dict, dict, datetime]]:
    steps = [e for e in trail if e["type"] == "StepCompleted"]
    return [(done, following, at(done["recorded_at"]) + (at(following["recorded_at"]) - at(done["recorded_at"])) / 2)
            for done, following in zip(steps, steps[1:])]


def test_between_two_steps_the_case_shows_the_later_one_current_and_the_trail_up_to_then(api, walked):
    case_id, trail, _ = walked
    pairs = between_steps(trail)
    assert any((d["step"], f["step"]) == (6, 7) for d, f, _ in pairs)  # the instant the issue names
    for done, following, instant in pairs:
        case = read(api, f"/cases/{case_id}", instant)
        assert case.status_code == 200, case.text
        case = case.json()
        until_then = [e for e in trail if at(e["recorded_at"]) <= instant]
        assert case["current"]["step"] == following["step"] and case["current_step"] == following["step"]
        assert case["current"]["role"] == following["actor"]["role"] == case["current_role"]  # who could act
        assert case["status"] == "open" and case["outcome"] is None and case["last_step"] == done["step"]
        assert case["history"] == until_then and at(case["as_of"]) == instant
        audit = read(api, f"/cases/{case_id}/audit", instant, limit=500).json()
        assert audit["items"] == until_then and audit["next"] is None
    closed = read(api, f"/cases/{case_id}", at(trail[-1]["recorded_at"])).json()  # after the last step: as it is
    assert closed["status"] == "closed" and closed["current"] is None and closed["history"] == trail


def test_the_audit_trail_as_of_an_instant_pages_like_the_live_one(api, walked):
    case_id, trail, _ = walked
    instant = at(trail[-1]["recorded_at"])
    first = read(api, f"/cases/{case_id}/audit", instant, limit=5).json()
    rest = read(api, f"/cases/{case_id}/audit", instant, limit=500, after=first["next"]).json()
    assert first["items"] + rest["items"] == trail


def test_the_sla_clocks_stand_as_they_stood_between_the_steps(api, walked):
    case_id, trail, live = walked
    live_visits = {v["visit"]: v for v in live["visits"]}
    for done, following, instant in between_steps(trail):
        found = read(api, f"/cases/{case_id}/sla", instant)
        assert found.status_code == 200, found.text
        found = found.json()
        assert at(found["as_of"]) == instant and found["clock"]["closed_at"] is None
        assert found["clock"]["sop_due_at"] == live["clock"]["sop_due_at"]
        opened = [v for v in found["visits"] if v["completed_at"] is None]
        assert [v["step"] for v in opened] == [following["step"]] and opened[0]["visit"] == done["position"]
        assert opened[0]["overdue"] == (instant > at(opened[0]["due_at"])) and opened[0]["elapsed_seconds"] >= 0
        for visit in found["visits"]:
            assert visit["due_at"] == live_visits[visit["visit"]]["due_at"]
            if visit["completed_at"] is not None:  # completed by then: its figures are final
                assert {k: visit[k] for k in ("completed_at", "working_seconds", "on_time")} == {
                    k: live_visits[visit["visit"]][k] for k in ("completed_at", "working_seconds", "on_time")}
        assert len(found["visits"]) == 1 + sum(1 for e in trail if e["type"] == "StepCompleted"
                                               and at(e["recorded_at"]) <= instant)


def test_the_documents_are_the_revisions_issued_by_then(api, walked):
    case_id, trail, _ = walked
    live = {d["kind"]: d for d in api.get(f"/cases/{case_id}/documents", headers=CLERK).json()["items"]}
    counts = set()
    for _, _, instant in between_steps(trail) + [(None, None, at(trail[-1]["recorded_at"]))]:
        issued = [e for e in trail if e["type"] == "DocumentIssued" and at(e["recorded_at"]) <= instant]
        found = read(api, f"/cases/{case_id}/documents", instant)
        assert found.status_code == 200, found.text
        documents = found.json()["items"]
        assert sum(len(d["revisions"]) for d in documents) == len(issued)
        counts.add(len(issued))
        for d in documents:
            assert d["revisions"] == live[d["kind"]]["revisions"][:len(d["revisions"])]
            assert d["revision"] == len(d["revisions"]) and d["current"]
    assert len(counts) > 3  # the case's documents grew step by step, and each instant saw its own


def test_as_of_is_bounded_and_answers_only_who_may_see_the_case(api, walked):
    case_id, trail, _ = walked
    submitted = at(trail[0]["recorded_at"])
    future = datetime.now(timezone.utc) + timedelta(hours=1)
    for path in ("", "/audit", "/sla", "/documents"):
        too_late = read(api, f"/cases/{case_id}{path}", future)
        assert too_late.status_code == 422 and too_late.json()["error"] == "as_of_in_future"
        naive = api.get(f"/cases/{case_id}{path}", params={"as_of": "2026-03-02T10:15:00"}, headers=CLERK)
        assert naive.status_code == 422 and set(naive.json()) >= {"error", "reason"}
        hidden = read(api, f"/cases/{case_id}{path}", submitted, headers=auth("admin_aplikasi"))  # SOP A staff
        assert hidden.status_code == 404 and hidden.json()["error"] == "not_found"
        for long_ago in ("1970-01-01T00:00:00Z", "2000-01-01T00:00:00+14:00"):  # every service says so itself
            before = api.get(f"/cases/{case_id}{path}", params={"as_of": long_ago}, headers=CLERK)
            assert before.status_code == 404 and before.json()["error"] == "not_yet_registered", (path, before.text)
    early = read(api, f"/cases/{case_id}", submitted - timedelta(microseconds=1))
    assert early.status_code == 404 and early.json()["error"] == "not_yet_registered"
    registered = read(api, f"/cases/{case_id}", submitted).json()  # routing may not have opened it yet then
    assert registered["register_number"] and registered["history"][0] == trail[0]
    assert api.get(f"/cases/{case_id}", headers=CLERK).json()["as_of"] is None  # the live read


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
    assert at(found["case"]["as_of"]) == instant and found["case"]["current"]["step"] == 7 and found["case"]["history"][-1]["event_id"] == done["event_id"]
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
