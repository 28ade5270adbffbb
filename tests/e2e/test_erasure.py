"""An applicant's erasure as the operator meets it: after a walked case, the name is gone from every read,
document and export, the PDFs that held it are gone while their verification records stay, `sop verify`
is intact and `sop replay` identical; a request within its SOP's retention period is refused."""
from __future__ import annotations

import io
import json
import time
from datetime import datetime

import httpx
import pytest
from pypdf import PdfReader
from redis import Redis
from typer.testing import CliRunner

from shared.agency import agency
from shared.contracts import SERVICES, event_stream
from system.cli import app
from system.demo import auth, content, every_item, move_body, scenarios, submission, wait_until
from system.demo_documents import case_documents
from tests.e2e.test_cli import settings_of
from tests.support import private_system

pytestmark = pytest.mark.integration
OPERATOR = {"Authorization": "Bearer demo-operator"}
READER = auth("kepala_badan")  # reads every case
NAME, PHONE = "Ratna Kusumawardhani Erasetest", "0812-9090-4242"
ERASURE = {"legal_basis": "UU 27/2022 pasal 8", "reason": "Permintaan penghapusan oleh pemohon"}


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    """A system of its own: its cases are erased, which no other test of the session expects."""
    with private_system("test-erasure", tmp_path_factory.mktemp("erasure"), timeout_s=120) as running:
        yield running


@pytest.fixture
def api(system):
    with httpx.Client(base_url=system.url("intake"), timeout=30) as client:
        yield client


def walked_case(api, scenario, body) -> str:
    r = api.post("/requests", json=body, headers=auth("pemohon"))
    assert r.status_code == 201, r.text
    case_id = r.json()["case_id"]
    wait_until(api, case_id, lambda c: c["current_step"] == 2)
    for step, decision, role in scenario.moves:
        answer = api.post(f"/cases/{case_id}/steps/{step}", json=move_body(decision) | content(api, case_id, decision,
                                                                                              role), headers=auth(role))
        assert answer.status_code == 200, answer.text
    wait_until(api, case_id, lambda c: c["outcome"] == scenario.outcome)
    return case_id


def pdf_text(data: bytes) -> str:
    """Its words, one space apart: a table cell wraps a long name over lines."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def settled(api, case_id: str, count: int, timeout_s: float = 30) -> list[dict]:
    deadline = time.monotonic() + timeout_s
    while len(listed := case_documents(api, case_id, READER)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return listed


def every_read(api, case_id: str, today: str) -> dict[str, str]:
    """Each read a reader of the case (or the operator, for the export) has, as text."""
    book = {"from": today, "to": today}
    reads = {
        "case": api.get(f"/cases/{case_id}", headers=READER).text,
        "audit": json.dumps(every_item(api, f"/cases/{case_id}/audit", "kepala_badan")),
        "register": json.dumps(every_item(api, "/register", "kepala_badan")),
        "documents": json.dumps(case_documents(api, case_id, READER)),
        "register book csv": api.get("/register/book", params=book | {"format": "csv"}, headers=READER).text,
        "register book pdf": pdf_text(api.get("/register/book", params=book, headers=READER).content),
        "feed": json.dumps(api.get("/events", params={"after": 0, "limit": 500}, headers=READER).json()),
        "audit export": api.get("/audit/export", params=book, headers=OPERATOR, timeout=60).text,
        "audit export csv": api.get("/audit/export", params=book | {"format": "csv"}, headers=OPERATOR,
                                    timeout=60).text,
    }
    return reads


def test_an_erased_applicant_is_gone_from_every_read_while_verify_and_replay_hold(api, system):
    scenario = next(s for s in scenarios() if s.sop_id == "sop-b" and s.outcome == "completed")
    body = submission("sop-b", 901)
    body["applicant"] |= {"name": NAME, "phone": PHONE}
    case_id = walked_case(api, scenario, body)
    today = datetime.now(agency().tz).date().isoformat()
    listed = settled(api, case_id, 3)
    revisions = [(d["kind"], r["revision"]) for d in listed for r in d["revisions"]]
    pdfs = {}
    for kind, revision in revisions:  # rendered now: the erasure must remove these bytes
        answer = api.get(f"/cases/{case_id}/documents/{kind}.pdf", params={"revision": revision}, headers=READER)
        assert answer.status_code == 200, answer.text
        pdfs[(kind, revision)] = answer
    holding = {k for k, a in pdfs.items() if NAME in pdf_text(a.content)}
    assert ("buku_tamu", 1) in holding  # every paper of the case names its applicant in the heading

    # Whoever reads the case sees the plaintext; the events, the streams and the metrics never carry it.
    assert api.get(f"/cases/{case_id}", headers=READER).json()["applicant"]["name"] == NAME
    assert NAME in every_read(api, case_id, today)["register book pdf"]
    redis = Redis.from_url(system.env["SOP_REDIS_URL"])
    prefix = system.env["SOP_STREAM_PREFIX"]
    try:
        on_streams = [f for s in SERVICES for _, f in redis.xrange(event_stream(prefix, s))]
    finally:
        redis.close()
    assert on_streams and not any(NAME.encode() in f[b"payload"] or PHONE.encode() in f[b"payload"]
                                  for f in on_streams)
    for service in ("intake", "documents"):
        assert NAME not in api.get(system.url(service) + "/metrics").text

    # Only the operator erases, with a basis and a reason; the answer names the request, not the person.
    assert api.post(f"/data-subjects/{case_id}/erasure", json=ERASURE, headers=READER).status_code == 403
    assert api.post(f"/data-subjects/{case_id}/erasure", json={"reason": "x"}, headers=OPERATOR).status_code == 422
    unknown = api.post("/data-subjects/00000000-0000-4000-8000-000000000000/erasure", json=ERASURE, headers=OPERATOR)
    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_subject"
    erased = api.post(f"/data-subjects/{case_id}/erasure", json=ERASURE, headers=OPERATOR)
    assert erased.status_code == 200, erased.text
    assert erased.json()["legal_basis"] == ERASURE["legal_basis"] and NAME not in erased.text
    again = api.post(f"/data-subjects/{case_id}/erasure", json=ERASURE, headers=OPERATOR)
    assert again.status_code == 200 and again.json()["erased_at"] == erased.json()["erased_at"]

    assert wait_until(api, case_id, lambda c: c["applicant"]["name"] == "[dihapus]")
    deadline = time.monotonic() + 15  # the erasure event reaches the audit trail through intake's views
    while not any(e["type"] == "PersonalDataErased" for e in every_item(api, f"/cases/{case_id}/audit", "kepala_badan")):
        assert time.monotonic() < deadline, "the erasure never reached the audit trail"
        time.sleep(0.1)
    audit = every_item(api, f"/cases/{case_id}/audit", "kepala_badan")
    assert any(e["type"] == "PersonalDataErased" and e["actor"]["role"] == "operator" for e in audit)
    for kind, revision in holding:  # removed once documents heard of the erasure
        path = f"/cases/{case_id}/documents/{kind}.pdf"
        deadline = time.monotonic() + 20
        while (gone := api.get(path, params={"revision": revision}, headers=READER)).status_code == 200:
            assert time.monotonic() < deadline, f"{kind} revision {revision} was not removed"
            time.sleep(0.1)
        assert gone.status_code == 410 and gone.json()["error"] == "document_erased"
        verified = api.get("/verify", params={"sha256": pdfs[(kind, revision)].headers["X-Document-SHA256"]})
        assert verified.status_code == 200 and verified.json()["genuine"]  # its verification record stays
    for key in set(pdfs) - holding:  # what never held the data keeps its bytes
        again = api.get(f"/cases/{case_id}/documents/{key[0]}.pdf", params={"revision": key[1]}, headers=READER)
        assert again.content == pdfs[key].content

    reads = every_read(api, case_id, today)
    for name, text in reads.items():
        assert NAME not in text and PHONE not in text, name
    assert "[dihapus]" in reads["register book pdf"] and "[dihapus]" in reads["register"]

    env = settings_of(system)
    verified = json.loads(CliRunner().invoke(app, ["verify", "--json"], env=env).stdout)
    assert verified["intact"], verified
    replayed = CliRunner().invoke(app, ["replay", "--json"], env=env)
    found = json.loads(replayed.stdout)
    assert replayed.exit_code == 0 and found["identical"], found
    assert found["documents"]["erased"] >= len(holding)


def test_an_erasure_within_the_retention_period_is_refused(api):
    scenario = next(s for s in scenarios() if s.sop_id == "sop-c" and s.outcome == "refused")
    case_id = walked_case(api, scenario, submission("sop-c", 902))
    refused = api.post(f"/data-subjects/{case_id}/erasure", json=ERASURE, headers=OPERATOR)
    assert refused.status_code == 409 and refused.json()["error"] == "retention_period"
    assert "UU 43/2009" in refused.json()["reason"]
    assert api.get(f"/cases/{case_id}", headers=READER).json()["applicant"]["name"] == "Pemohon 902"
