"""Steps whose output carries content: refused without it, and bad uploads refused with a reason."""
from __future__ import annotations

import pytest

from system.demo import UPLOADS, auth, submission, wait_until

pytestmark = pytest.mark.integration
CSV = {"Content-Type": "text/csv", "X-Filename": "data.csv"}


def case_at_step_5(api) -> str:
    case_id = api.post("/requests", json=submission("sop-c", 80), headers=auth("pemohon")).json()["case_id"]
    wait_until(api, case_id, lambda c: c["current_step"] == 2)
    for step, decision, role in [(2, "verified", "petugas_tu"), (3, "approved", "kepala_badan"),
                                 (4, "dispositioned", "kabid")]:
        assert api.post(f"/cases/{case_id}/steps/{step}", json={"decision": decision}, headers=auth(role)).status_code == 200
    return case_id


def refused(api, case_id: str, step: int, body: dict, role: str) -> tuple[int, str]:
    r = api.post(f"/cases/{case_id}/steps/{step}", json=body, headers=auth(role))
    return r.status_code, r.json()["error"]


def test_the_draft_and_the_data_are_required_and_bad_uploads_are_refused(api):
    case_id = case_at_step_5(api)
    assert refused(api, case_id, 5, {"decision": "drafted"}, "sub_koordinator") == (422, "missing_draft")
    assert refused(api, case_id, 5, {"decision": "drafted", "draft": "   "}, "sub_koordinator") == (422, "missing_draft")
    draft = {"decision": "drafted", "draft": "Dengan hormat, ..."}
    assert api.post(f"/cases/{case_id}/steps/5", json=draft, headers=auth("sub_koordinator")).status_code == 200

    staff = auth("staf_data")
    uploads = {
        "empty": api.post(f"/cases/{case_id}/attachments", content=b"", headers=staff | CSV),
        "oversized": api.post(f"/cases/{case_id}/attachments", content=b"a," * 150_000, headers=staff | CSV),
        "not a pdf": api.post(f"/cases/{case_id}/attachments", content=b"hello",
                              headers=staff | {"Content-Type": "application/pdf", "X-Filename": "x.pdf"}),
        "unknown type": api.post(f"/cases/{case_id}/attachments", content=b"MZ\x90",
                                 headers=staff | {"Content-Type": "application/x-msdownload", "X-Filename": "x.exe"}),
    }
    assert {k: r.status_code for k, r in uploads.items()} == {
        "empty": 422, "oversized": 413, "not a pdf": 415, "unknown type": 415}
    assert all(set(r.json()) == {"error", "reason"} for r in uploads.values())

    assert refused(api, case_id, 6, {"decision": "data_prepared"}, "staf_data") == (422, "missing_attachments")
    unknown = {"decision": "data_prepared", "attachments": ["ab" * 32]}
    assert refused(api, case_id, 6, unknown, "staf_data")[0] == 422
    assert wait_until(api, case_id, lambda c: c["current_step"] == 6)["last_step"] == 5  # nothing stored

    name, media_type, data = UPLOADS["data_prepared"]
    stored = api.post(f"/cases/{case_id}/attachments", content=data,
                      headers=staff | {"Content-Type": media_type, "X-Filename": name})
    assert stored.status_code == 201 and stored.json()["size"] == len(data)
    done = {"decision": "data_prepared", "attachments": [stored.json()["sha256"]]}
    assert api.post(f"/cases/{case_id}/steps/6", json=done, headers=staff).status_code == 200
    trail = wait_until(api, case_id, lambda c: c["current_step"] == 7)["history"]
    assert [e for e in trail if e["type"] == "StepCompleted"][-1]["step"] == 6
