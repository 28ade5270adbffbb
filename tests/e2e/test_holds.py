"""Pausing, resuming and extending a case through the API, with the rules on who may."""
from __future__ import annotations

import pytest

from system.demo import auth, submission, wait_until

pytestmark = pytest.mark.integration


def test_a_case_paused_for_the_applicant_refuses_steps_until_resumed(api):
    case_id = api.post("/requests", json=submission("sop-c", 70), headers=auth("pemohon")).json()["case_id"]
    wait_until(api, case_id, lambda c: c["current_step"] == 2)
    reason = {"reason": "Menunggu lampiran surat kuasa dari pemohon"}
    assert api.post(f"/cases/{case_id}/pause", json=reason, headers=auth("kabid")).status_code == 403
    assert api.post(f"/cases/{case_id}/pause", json={"reason": ""}, headers=auth("petugas_tu")).status_code == 422
    paused = api.post(f"/cases/{case_id}/pause", json=reason, headers=auth("petugas_tu"))
    assert paused.status_code == 200 and paused.json()["paused"] is True
    step = api.post(f"/cases/{case_id}/steps/2", json={"decision": "verified"}, headers=auth("petugas_tu"))
    assert (step.status_code, step.json()["error"]) == (409, "case_paused")
    assert wait_until(api, case_id, lambda c: c["status"] == "paused")["paused_since"]
    resumed = api.post(f"/cases/{case_id}/resume", json={"reason": "Lampiran diterima"}, headers=auth("petugas_tu"))
    assert resumed.status_code == 200 and resumed.json()["paused"] is False
    assert api.post(f"/cases/{case_id}/steps/2", json={"decision": "verified"}, headers=auth("petugas_tu")).status_code == 200
    trail = wait_until(api, case_id, lambda c: c["current_step"] == 3)["history"]
    holds = [(e["type"], e["actor"]["role"], e["note"]) for e in trail if e["type"] in ("CasePaused", "CaseResumed")]
    assert holds == [("CasePaused", "petugas_tu", reason["reason"]), ("CaseResumed", "petugas_tu", "Lampiran diterima")]


def test_the_statutory_deadline_is_extended_once_by_the_head_with_a_reason(api):
    case_id = api.post("/requests", json=submission("sop-c", 71), headers=auth("pemohon")).json()["case_id"]
    wait_until(api, case_id, lambda c: c["current_step"] == 2)
    why = {"reason": "Data yang diminta mencakup 5 tahun anggaran"}
    assert api.post(f"/cases/{case_id}/deadline-extension", json=why, headers=auth("kabid")).status_code == 403
    first = api.post(f"/cases/{case_id}/deadline-extension", json=why, headers=auth("kepala_badan"))
    assert first.status_code == 200 and first.json()["deadline_extended"] is True
    again = api.post(f"/cases/{case_id}/deadline-extension", json=why, headers=auth("sekretaris"))
    assert (again.status_code, again.json()["error"]) == (409, "already_extended")
    sop_a = api.post("/requests", json=submission("sop-a", 72), headers=auth("pemohon")).json()["case_id"]
    wait_until(api, sop_a, lambda c: c["current_step"] == 2)
    none = api.post(f"/cases/{sop_a}/deadline-extension", json=why, headers=auth("kepala_badan"))
    assert (none.status_code, none.json()["error"]) == (422, "no_statutory_clock")
