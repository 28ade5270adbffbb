"""The documents service's HTTP contract: typed, bounded parameters, one error shape, a paginated list.

A garbage case id, kind, revision, digest, number or period is a 4xx with {error, reason(, fields)}
before any store is asked; never a 500, never FastAPI's own {"detail"}.
"""
from __future__ import annotations

import uuid

import pytest

from services.documents.bootstrap import bootstrap
from system.demo import scenarios
from shared.http.pages import encode_cursor
from shared.settings import Settings
from tests.case_log import CaseLog
from tests.unit.error_shape import GARBAGE_IDS, UNROUTED, asgi_client, refused
from tests.unit.test_documents import feed

SOP_C_ORDER = ["surat_masuk", "surat_permintaan_data", "disposisi_surat", "konsep_surat_jawaban",
               "hasil_pengolahan_data", "surat_jawaban", "pertinggal_surat_jawaban"]


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    found = bootstrap(Settings(persistence="memory", data_dir=tmp_path_factory.mktemp("documents")))
    log = CaseLog("sop-c")
    feed(found.app, log.walk(scenarios()[7]))
    return found, log.case_id


@pytest.fixture
async def http(service):
    async with asgi_client(service[0].http, "documents") as client:
        yield client, service[1]


@pytest.mark.parametrize("case_id", GARBAGE_IDS)
async def test_a_garbage_case_id_is_refused_on_every_route(http, case_id):
    client, _ = http
    for path in (f"/cases/{case_id}/documents", f"/cases/{case_id}/documents/surat_jawaban.pdf",
                 f"/verify/{case_id}/surat_jawaban/1"):
        refused(await client.get(path))
    refused(await client.get(f"/cases/{case_id}/documents"), 404 if case_id in UNROUTED else 422)


async def test_an_unknown_case_has_no_documents(http):
    client, _ = http
    unknown = uuid.uuid4()
    refused(await client.get(f"/cases/{unknown}/documents"), 404, "case_not_found")
    refused(await client.get(f"/cases/{unknown}/documents/surat_jawaban.pdf"), 404, "document_not_found")
    refused(await client.get(f"/verify/{unknown}/surat_jawaban/1"), 404, "document_not_found")


async def test_kinds_and_revisions_are_the_sops_and_bounded(http):
    client, case_id = http
    for kind in ("nope", "%2E%2E", "surat_jawaban%00", "SURAT_JAWABAN"):
        body = refused(await client.get(f"/cases/{case_id}/documents/{kind}.pdf"), 422, "invalid")
        assert body["fields"][0]["field"] == "path.kind" and "surat_jawaban" in body["reason"]
        refused(await client.get(f"/verify/{case_id}/{kind}/1"), 422, "invalid")
    refused(await client.get(f"/cases/{case_id}/documents/buku_tamu.pdf"), 404, "document_not_found")  # SOP A's
    for revision in ("0", "-1", "10001", "x", "1e3"):
        refused(await client.get(f"/cases/{case_id}/documents/surat_jawaban.pdf", params={"revision": revision}), 422)
        refused(await client.get(f"/verify/{case_id}/surat_jawaban/{revision}"), 422)
    assert (await client.get(f"/verify/{uuid.UUID(case_id).hex.upper()}/surat_jawaban/1")).status_code == 200


async def test_the_list_pages_in_the_sops_order(http):
    client, case_id = http
    seen, after = [], None
    while True:
        page = (await client.get(f"/cases/{case_id}/documents", params={"limit": 4} | (
            {"after": after} if after else {}))).json()
        assert set(page) == {"items", "next"} and len(page["items"]) <= 4
        seen += page["items"]
        if (after := page["next"]) is None:
            break
    whole = (await client.get(f"/cases/{case_id}/documents")).json()
    assert whole["next"] is None and [d["kind"] for d in seen] == [d["kind"] for d in whole["items"]] == SOP_C_ORDER
    assert all(d["revisions"] and set(d["revisions"][0]) == {"revision", "issued_at", "sha256", "number"} for d in seen)
    for bad in ({"limit": 0}, {"limit": 501}, {"after": "abc"}, {"after": encode_cursor(["x", 1])},
                {"after": "not a cursor"}, {"after": "A" * 600}):
        refused(await client.get(f"/cases/{case_id}/documents", params=bad), 422)
    refused(await client.get(f"/cases/{case_id}/documents", params={"after": "abc"}), 422, "invalid_cursor")


async def test_lookups_by_digest_and_number_are_bounded(http):
    client, _ = http
    for bad in ({}, {"sha256": "0" * 64, "number": "1"}, {"sha256": "g" * 64}, {"sha256": "0" * 65},
                {"number": ""}, {"number": "x" * 101}, {"number": "050/001\n"}):
        refused(await client.get("/verify", params=bad), 422)
    refused(await client.get("/verify", params={"sha256": "0" * 64}), 404, "document_not_found")
    refused(await client.post("/verify", content=b""), 422)
    assert (await client.post("/verify", content=b"%PDF-1.4 not ours")).json()["genuine"] is False


@pytest.mark.parametrize("params, error", [
    ({"from": "2026-02-01", "to": "2026-01-01"}, "invalid_period"),
    ({"from": "2026-02-30", "to": "2026-03-01"}, "invalid"),
    ({"from": "0001-01-01", "to": "2026-03-01"}, "invalid"),
    ({"to": "2026-03-01"}, "invalid"),
    ({"from": "2026-01-01", "to": "2026-03-01", "format": "xlsx"}, "invalid"),
])
async def test_the_register_book_wants_a_real_period_and_format(http, params, error):
    refused(await http[0].get("/register-book", params=params), 422, error)


def test_every_route_declares_its_answer_and_its_errors(service):
    spec = service[0].http.openapi()
    for path, operations in spec["paths"].items():
        if path in ("/health", "/health/live", "/health/ready", "/metrics"):
            continue
        for operation in operations.values():
            answers = operation["responses"]
            content = answers["200"]["content"]
            assert "application/pdf" in content or "$ref" in str(content["application/json"]["schema"]), path
            assert "422" in answers and "ErrorBody" in str(answers["422"]), path
            assert "HTTPValidationError" not in str(answers), path
