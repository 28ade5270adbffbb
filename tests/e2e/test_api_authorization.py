"""Object-level authorization (OWASP API1), generated from the read policy data: every credential tries
every read route on cases it did not submit, and sees exactly what shared/sop/access.yaml grants."""
from __future__ import annotations

import time

import pytest
import redis
import yaml

from services.intake.auth import DEMO_CREDENTIALS
from system.demo import every_item, run_scenario, scenarios, submission, wait_until
from system.demo_documents import case_documents
from shared.sop.access import ReadPolicy, acting_sops
from shared.sop.loader import SopLibrary
from tests.e2e.conftest import SECOND_PORTAL

pytestmark = pytest.mark.integration
POLICY, LIBRARY = ReadPolicy.from_file(), SopLibrary.from_directory()
CREDENTIALS = yaml.safe_load(DEMO_CREDENTIALS.read_text(encoding="utf-8"))["credentials"] + [SECOND_PORTAL]
READS = ("/cases/{id}", "/cases/{id}/audit", "/cases/{id}/documents", "/cases/{id}/documents/{kind}.pdf",
         "/cases/{id}/sla")


def bearer(credential: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential['key']}"}


def may_see(credential: dict, sop_id: str, submitted_by: str) -> bool:
    scope = POLICY.scope(tuple(credential["roles"]))
    return {"all": True, "none": False, "own": credential["id"] == submitted_by,
            "acting": sop_id in acting_sops(LIBRARY, tuple(credential["roles"]))}[scope]


@pytest.fixture(scope="module")
def someone_elses_cases(two_portals):
    """A closed SOP A case of the second portal (documents filed) and an open SOP C case of the first."""
    import httpx

    with httpx.Client(base_url=two_portals.url("intake"), timeout=15) as api:
        other = {"Authorization": f"Bearer {SECOND_PORTAL['key']}"}
        mine = api.post("/requests", json=submission("sop-a", 801), headers=other).json()["case_id"]
        wait_until(api, mine, lambda c: c["current_step"] == 2)
        for step, decision, role in scenarios()[0].moves:  # SOP A to the end; step 8 is the portal's
            headers = other if role == "pemohon" else {"Authorization": f"Bearer {role_key(role)}"}
            api.post(f"/cases/{mine}/steps/{step}", json={"decision": decision, "note": "catatan"},
                     headers=headers).raise_for_status()
        first = run_scenario(api, scenarios()[7], 802)  # SOP C by the demo portal
        for case_id in (mine, first):
            deadline = time.monotonic() + 30
            while not case_documents(api, case_id) and time.monotonic() < deadline:
                time.sleep(0.1)
        return {mine: ("sop-a", SECOND_PORTAL["id"]), first: ("sop-c", "portal-lapor")}


def first_output(sop_id: str) -> str:
    sop = LIBRARY.latest(sop_id)
    return sop.step(sop.start).outputs[0]


def role_key(role: str) -> str:
    return next(c["key"] for c in CREDENTIALS if c["roles"] == [role])


@pytest.mark.parametrize("credential", CREDENTIALS, ids=lambda c: c["id"])
def test_every_credential_reads_only_the_cases_the_policy_grants(contract_api, someone_elses_cases, credential):
    for case_id, (sop_id, submitted_by) in someone_elses_cases.items():
        allowed = may_see(credential, sop_id, submitted_by)
        for route in READS:
            answer = contract_api.get(route.format(id=case_id, kind=first_output(sop_id)), headers=bearer(credential))
            if allowed:
                assert answer.status_code == 200, (route, answer.text)
            else:
                assert answer.status_code == 404 and answer.json()["error"] == "not_found", (route, answer.text)
                assert case_id in answer.json()["reason"] and sop_id not in answer.text
        if not allowed:  # a token for a version the case never reached tells nobody else it exists
            waited = contract_api.get(f"/cases/{case_id}", params={"min_version": 99999}, headers=bearer(credential))
            assert waited.status_code == 404, waited.text
        upload = contract_api.post(f"/cases/{case_id}/attachments", content=b"a,b\n1,2\n",
                                   headers=bearer(credential) | {"content-type": "text/csv", "x-filename": "d.csv"})
        assert (upload.status_code == 201) == allowed, upload.text


@pytest.mark.parametrize("credential", CREDENTIALS, ids=lambda c: c["id"])
def test_lists_hold_only_visible_cases_and_reports_only_for_the_roles_named(contract_api, someone_elses_cases,
                                                                           credential):
    scope = POLICY.scope(tuple(credential["roles"]))
    register = contract_api.get("/register", headers=bearer(credential), params={"limit": 500})
    if scope == "none":
        assert register.status_code == 403
    else:
        rows = register.json()["items"]
        assert all(may_see(credential, r["sop_id"], submitted_by_of(r, someone_elses_cases)) for r in rows
                   if r["case_id"] in someone_elses_cases)
        seen = {r["case_id"] for r in rows}
        for case_id, (sop_id, submitted_by) in someone_elses_cases.items():
            assert (case_id in seen) == may_see(credential, sop_id, submitted_by)
    period = {"from": "2020-01-01", "to": "2099-12-31"}
    report = contract_api.get("/reports/capaian-kinerja", params=period, headers=bearer(credential))
    assert report.status_code == (200 if set(credential["roles"]) & set(POLICY.reports) else 403), report.text
    book = contract_api.get("/register/book", params=period | {"format": "csv"}, headers=bearer(credential))
    assert book.status_code == (200 if set(credential["roles"]) & set(POLICY.register_book) else 403)


def submitted_by_of(row: dict, cases: dict) -> str:
    return cases[row["case_id"]][1]


def test_a_portal_sees_its_own_cases_in_every_list(contract_api, someone_elses_cases):
    portal = bearer(SECOND_PORTAL)
    own = {c for c, (_, by) in someone_elses_cases.items() if by == SECOND_PORTAL["id"]}
    rows = contract_api.get("/register", headers=portal).json()["items"]
    assert {r["case_id"] for r in rows} == own
    assert contract_api.get("/inbox", headers=portal).json()["items"] == []  # its case is closed


def test_denied_reads_are_recorded_without_the_key_and_counted(two_portals, contract_api, someone_elses_cases):
    other_case = next(c for c, (_, by) in someone_elses_cases.items() if by != SECOND_PORTAL["id"])
    assert contract_api.get(f"/cases/{other_case}/audit", headers=bearer(SECOND_PORTAL)).status_code == 404
    client = redis.Redis.from_url(two_portals.env["SOP_REDIS_URL"])
    entries = client.xrange(f"{two_portals.env['SOP_STREAM_PREFIX']}.security.denied")
    mine = [f for _, f in entries if f[b"credential"] == SECOND_PORTAL["id"].encode()
            and f[b"case_id"] == other_case.encode()]
    assert mine and mine[-1][b"route"] == b"GET /cases/{case_id}/audit" and mine[-1][b"at"]
    assert not any(SECOND_PORTAL["key"].encode() in v for _, f in entries for v in f.values())
    metrics = contract_api.get("/metrics").text
    assert any(line.startswith("sop_access_denied_total{") and 'route="GET /cases/{case_id}/audit"' in line
               and 'role="pemohon"' in line and not line.endswith(" 0.0") for line in metrics.splitlines())
    assert every_item(contract_api, "/register", "petugas_tu")  # staff still read their SOPs' register
