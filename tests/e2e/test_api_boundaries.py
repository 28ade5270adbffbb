"""Nothing crosses the gateway unchecked: encoded traversal and control characters in every path that
reaches another service, with a key and without, answer 4xx (never 2xx, never 5xx) on a connection
that stays usable; every error of every service has the one error shape."""
from __future__ import annotations

import http.client
import uuid

import pytest

from system.demo import auth, submission, wait_until
from shared.http.errors import ErrorBody

pytestmark = pytest.mark.integration
TRICKS = ["%2E%2E", "..", "%2E%2E%2F%2E%2E", "%2F", "%3F", "..;", "%C0%AE%C0%AE", "%E0%80%AE", "%252E%252E",
          "x%23", "%7F"] + [f"%{c:02X}" for c in range(0x20)]
# Every route of the gateway that passes something on to the documents or SLA service; {t} is the trick.
FORWARDED = [
    "/cases/{t}/documents", "/cases/{t}/documents/buku_tamu.pdf", "/cases/{case}/documents/{t}.pdf",
    "/cases/{case}/documents/{t}", "/cases/{t}/sla", "/verify/{t}/buku_tamu/1", "/verify/{case}/{t}/1",
    "/verify/{case}/buku_tamu/{t}", "/verify/{t}/register-book%3F/1", "/verify?number={t}", "/verify?sha256={t}",
    "/register/book?from={t}&to=2026-12-31", "/reports/capaian-kinerja?from=2026-01-01&to={t}",
    "/cases/{t}", "/cases/{t}/audit",
]
TRAVERSALS = ["/verify/%2E%2E/register-book%3F/1?from=2026-01-01&to=2026-12-31&format=csv",
              "/verify/%2E%2E/metrics%3F/1", "/verify/..%2F..%2Fregister-book%3F/1"]


def raw_get(connection: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    connection.request("GET", path, headers=headers)  # the path goes out byte for byte, as a client sent it
    answer = connection.getresponse()
    return answer.status, answer.read()


@pytest.mark.parametrize("key", [None, "petugas_tu"])
def test_encoded_tricks_never_reach_what_a_route_does_not_serve(api, system, key):
    case_id = api.post("/requests", json=submission("sop-a", 901), headers=auth("pemohon")).json()["case_id"]
    headers = auth(key) if key else {}
    connection = http.client.HTTPConnection("127.0.0.1", system.ports["intake"], timeout=15)
    for path in TRAVERSALS + [p.format(t=t, case=case_id) for p in FORWARDED for t in TRICKS]:
        status, body = raw_get(connection, path, headers)  # one kept-alive connection for all of them
        assert 400 <= status < 500, (path, status, body[:200])
        assert set(ErrorBody.model_validate_json(body).model_dump(exclude_none=True)) >= {"error", "reason"}
        assert b"REG/BAPPEDA" not in body and b"sop_" not in body, path
    connection.close()


def test_every_service_answers_errors_in_the_one_shape(api, system):
    case_id = api.post("/requests", json=submission("sop-b", 902), headers=auth("pemohon")).json()["case_id"]
    wait_until(api, case_id, lambda c: c["current_step"] == 2)
    clerk = auth("petugas_tu")
    unknown = str(uuid.uuid4())
    answers = {
        "gateway unknown route": api.get("/nowhere", headers=clerk),
        "gateway bad query": api.get("/register", params={"limit": 0}, headers=clerk),
        "gateway bad cursor": api.get("/register", params={"after": "bm9wZQ"}, headers=clerk),
        "gateway unknown case documents": api.get(f"/cases/{unknown}/documents", headers=clerk),
        "gateway unknown case": api.get(f"/cases/{unknown}", headers=clerk),
        "gateway step the SOP lacks": api.post(f"/cases/{case_id}/steps/3", json={"decision": "x"}, headers=clerk),
        "gateway no key": api.get("/register"),
        "gateway bad verify": api.get("/verify", params={"sha256": "zz"}),
        "gateway empty verify": api.post("/verify", content=b""),
        "documents bad id": api.get(f"{system.url('documents')}/cases/..%2F/documents"),
        "documents unknown": api.get(f"{system.url('documents')}/cases/{unknown}/documents"),
        "sla bad period": api.get(f"{system.url('sla')}/reports/capaian-kinerja", params={"from": "x", "to": "y"}),
        "sla unknown": api.get(f"{system.url('sla')}/cases/{unknown}/sla"),
        "routing unknown route": api.get(f"{system.url('routing')}/nowhere"),
    }
    for name, answer in answers.items():
        assert 400 <= answer.status_code < 500, (name, answer.status_code, answer.text)
        body = answer.json()
        assert {"error", "reason"} <= set(body) <= {"error", "reason", "fields"}, (name, body)
        ErrorBody.model_validate(body)
    assert answers["gateway unknown case documents"].status_code == 404
    step = answers["gateway step the SOP lacks"]
    assert (step.status_code, step.json()["error"]) == (422, "unknown_step")
    assert [f["field"] for f in answers["gateway bad query"].json()["fields"]] == ["query.limit"]


def test_without_a_key_nothing_is_parsed_and_every_method_of_a_path_is_named(api):
    for path in ("/requests", f"/cases/{uuid.uuid4()}/steps/2", f"/cases/{uuid.uuid4()}/pause"):
        for body in (b"{", b"\xff\xfe", b'{"decision": 1}'):
            answer = api.post(path, content=body, headers={"content-type": "application/json"})
            assert (answer.status_code, answer.json()["error"]) == (401, "unauthenticated"), (path, body)
    options = api.options("/verify")
    assert options.status_code == 405 and options.headers["allow"] == "GET, POST"


def test_the_openapi_is_typed_and_secured(api):
    spec = api.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["HTTPBearer"][
            "description"]}
    public = {"/health", "/health/live", "/health/ready", "/metrics", "/verify", "/verify/{case_id}/{kind}/{revision}", "/track/{register_number}"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert path in public or operation.get("security"), (method, path)
            ok = next(v for k, v in operation["responses"].items() if k.startswith("2"))
            assert ok.get("content"), (method, path)
            for status, documented in operation["responses"].items():
                if status.startswith(("4", "5")) and status != "422":
                    ref = documented["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorBody"), (method, path, status)
    schemas = spec["components"]["schemas"]
    assert "routing_position" not in str(schemas)
    assert schemas["RegisterRow"]["properties"]["paused"]["type"] == "boolean"
    assert schemas["RegisterRow"]["properties"]["applicant"]["$ref"].endswith("/ApplicantRef")
    assert {"outcome", "closing_reason"} <= set(schemas["CaseAnswer"]["properties"])
