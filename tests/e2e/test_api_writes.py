"""Writes as portals know them: Idempotency-Key scoped to the credential and the route, bounded times,
and a 201 or a 2xx that the next read already shows."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from system.demo import auth, every_item, submission, wait_until

pytestmark = pytest.mark.integration


def keyed(role: str, key: str) -> dict[str, str]:
    return auth(role) | {"Idempotency-Key": key}


def test_a_retried_submission_opens_one_case_with_one_number(api):
    key, body = str(uuid.uuid4()), submission("sop-b", 951)
    first = api.post("/requests", json=body, headers=keyed("pemohon", key))
    again = api.post("/requests", json=body, headers=keyed("pemohon", key))
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = api.post("/requests", json=body | {"subject": "Lain"}, headers=keyed("pemohon", key))
    assert (other.status_code, other.json()["error"]) == (422, "idempotency_key_reused")
    numbers = [r["register_number"] for r in every_item(api, "/register", "petugas_tu", sop_id="sop-b")]
    assert numbers.count(first.json()["register_number"]) == 1
    assert first.json()["register_number"] not in [n for n in numbers if n != first.json()["register_number"]]


def test_a_key_belongs_to_one_route_and_one_body(api):
    case_id = api.post("/requests", json=submission("sop-b", 952), headers=auth("pemohon")).json()["case_id"]
    wait_until(api, case_id, lambda c: c["current_step"] == 2)
    key = str(uuid.uuid4())
    done = api.post(f"/cases/{case_id}/steps/2", json={"decision": "registered"}, headers=keyed("petugas_tu", key))
    assert done.status_code == 200
    replayed = api.post(f"/cases/{case_id}/steps/2", json={"decision": "registered"}, headers=keyed("petugas_tu", key))
    assert replayed.json() == done.json() and replayed.headers["Idempotent-Replayed"] == "true"
    other_body = api.post(f"/cases/{case_id}/steps/2", json={"decision": "registered", "note": "x"},
                          headers=keyed("petugas_tu", key))
    assert (other_body.status_code, other_body.json()["error"]) == (422, "idempotency_key_reused")
    before = every_item(api, f"/cases/{case_id}/audit", "petugas_tu")
    other_route = api.post(f"/cases/{case_id}/steps/4", json={"decision": "forwarded"},
                           headers=keyed("petugas_tu", key))
    assert (other_route.status_code, other_route.json()["error"]) == (422, "idempotency_key_reused")
    after = every_item(api, f"/cases/{case_id}/audit", "petugas_tu", min_version=done.json()["version"])
    assert [e["event_id"] for e in after if e["source"] == "routing"] == \
        [e["event_id"] for e in before if e["source"] == "routing"]  # nothing recorded


def test_times_are_bounded_and_dates_are_dates(api):
    now = datetime.now(timezone.utc)
    for when in ("0563-01-01T00:00:00+00:00", "1900-01-01T00:00:00+00:00", (now - timedelta(days=30)).isoformat(),
                 (now + timedelta(hours=1)).isoformat(), "2026-01-01T00:00:00"):
        r = api.post("/requests", json=submission("sop-a", 953) | {"occurred_at": when}, headers=auth("pemohon"))
        assert r.status_code == 422, (when, r.text)
    letter = submission("sop-c", 954)
    for bad in (0, 1767225600, "2026-01-01T00:00:00", (now + timedelta(days=2)).date().isoformat(), "2020-01-01"):
        r = api.post("/requests", json=letter | {"letter": letter["letter"] | {"date": bad}}, headers=auth("pemohon"))
        assert r.status_code == 422, (bad, r.text)
    assert api.post("/requests", json=letter, headers=auth("pemohon")).status_code == 201


def test_what_a_write_answers_the_next_read_shows(api):
    for n in range(10):
        submitted = api.post("/requests", json=submission("sop-b", 960 + n), headers=auth("pemohon"))
        case = api.get(f"/cases/{submitted.json()['case_id']}", headers=auth("petugas_tu"))
        assert case.status_code == 200 and case.json()["current_step"] == 2, case.text
        step = api.post(f"/cases/{submitted.json()['case_id']}/steps/2", json={"decision": "registered"},
                        headers=auth("petugas_tu"))
        seen = api.get(f"/cases/{submitted.json()['case_id']}", params={"min_version": step.json()["version"]},
                       headers=auth("petugas_tu"))
        assert seen.json()["last_step"] == 2 and seen.json()["version"] >= step.json()["version"]


def test_lists_are_pages_in_a_stable_order(api):
    for n in range(3):
        case_id = api.post("/requests", json=submission("sop-a", 970 + n), headers=auth("pemohon")).json()["case_id"]
        wait_until(api, case_id, lambda c: c["current_step"] == 2)
    everything = every_item(api, "/register", "petugas_tu", limit=500)
    paged = every_item(api, "/register", "petugas_tu", limit=2)
    assert [r["case_id"] for r in paged] == [r["case_id"] for r in everything] and len(everything) >= 3
    first = api.get("/register", params={"limit": 1}, headers=auth("petugas_tu")).json()
    assert len(first["items"]) == 1 and first["next"]
    assert api.get("/register", params={"limit": 501}, headers=auth("petugas_tu")).status_code == 422
    assert api.get("/register", params={"after": "e30"}, headers=auth("petugas_tu")).json()["error"] == "invalid_cursor"
    sop_a = every_item(api, "/register", "petugas_tu", sop_id="sop-a", status="open")
    assert sop_a and {(r["sop_id"], r["status"]) for r in sop_a} == {("sop-a", "open")}
