"""Any case as of any instant, through the one public API: a SOP C case walked to the end (the data redone
once, parts withheld), then read at instants between its steps. Every answer is checked against the log:
the step current then and who could act, the audit trail up to then, the SLA clocks as they stood, the
document revisions issued by then."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from system.demo import auth
from tests.e2e.as_of_support import CLERK, at, between_steps, read, walked_case

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def walked(system):
    return walked_case(system, 801)


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
