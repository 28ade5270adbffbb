"""What a recorded history lives through, driven over the HTTP API of a running system: every SOP along
every branch (the demo's scenarios), a case paused, resumed and given its deadline extension, a request
left open until the SLA monitor breaches and escalates it, and a change of the working calendar."""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from shared.agency import agency
from system.demo import (
    Scenario, auth, content, left_open_too_long, move_body, run_scenario, scenarios, submission, wait_until,
)

HOLDS = Scenario("sop-c", "paused for the applicant, deadline extended", [
    (2, "verified", "petugas_tu"), (3, "approved", "kepala_badan"), (4, "dispositioned", "kabid"),
    (5, "drafted", "sub_koordinator"), (6, "data_prepared", "staf_data"), (7, "verified", "sub_koordinator"),
    (8, "initialled", "kabid"), (9, "initialled", "sekretaris"), (10, "signed", "kepala_badan"),
    (11, "handed_over", "petugas_tu"), (12, "received", "pemohon")], "completed")
PAUSE = {"reason": "Menunggu lampiran surat kuasa dari pemohon"}
RESUME = {"reason": "Lampiran diterima"}
EXTENSION = {"reason": "Data yang diminta mencakup 5 tahun anggaran"}
# The holiday the calendar change adds: a decree the `holidays` package cannot know of.
DECREE = "Keputusan Bupati Ketapang (rekaman uji riwayat)"


def every_branch(client: httpx.Client) -> list[str]:
    """The demo's scenarios, one case each; answers their case ids."""
    return [run_scenario(client, scenario, n) for n, scenario in enumerate(scenarios(), start=1)]


def held_case(client: httpx.Client, n: int = 50) -> str:
    """SOP C with a pause after step 2, a resume, and the statutory deadline extended once, then to the end."""
    r = client.post("/requests", json=submission(HOLDS.sop_id, n), headers=auth("pemohon"))
    case_id = r.raise_for_status().json()["case_id"]
    wait_until(client, case_id, lambda c: c["current_step"] == 2)
    for step, decision, role in HOLDS.moves:
        if step == 3:
            ok(client.post(f"/cases/{case_id}/pause", json=PAUSE, headers=auth("petugas_tu")))
            ok(client.post(f"/cases/{case_id}/resume", json=RESUME, headers=auth("petugas_tu")))
            ok(client.post(f"/cases/{case_id}/deadline-extension", json=EXTENSION, headers=auth("kepala_badan")))
        body = move_body(decision) | content(client, case_id, decision, role)
        ok(client.post(f"/cases/{case_id}/steps/{step}", json=body, headers=auth(role)))
    wait_until(client, case_id, lambda c: c["outcome"] == HOLDS.outcome)
    return case_id


def breached_case(client: httpx.Client) -> str:
    """A request registered 3 days ago and left at step 2: breached, and escalated to the next role up."""
    return left_open_too_long(client)["case_id"]


def change_calendar(overrides_file: Path, sla_events: Callable[[], list[str]], timeout_s: float = 30) -> str:
    """Adds a holiday by decree (today, in the agency's zone) to the override file the SLA service reads,
    and waits for it to record the CalendarChanged; answers the date added."""
    day = datetime.now(agency().tz).date()
    overrides_file.write_text(f"add:\n  - date: '{day}'\n    name: Libur daerah\n    basis: {DECREE}\n",
                              encoding="utf-8")
    wait_for(lambda: sum(t.endswith("CalendarChanged") for t in sla_events()) >= 2, timeout_s,
             "the SLA service did not record the calendar change")
    return day.isoformat()


def fetch_every_revision(client: httpx.Client, case_ids: list[str], timeout_s: float = 60) -> dict[str, str]:
    """Every revision of every document of the cases, fetched (so each is rendered and its SHA-256 recorded),
    once the documents service has filed them all: {"case/kind/revision": sha256}."""
    from system.demo_documents import case_documents

    found: dict[str, str] = {}
    for case_id in case_ids:
        wait_for(lambda: case_documents(client, case_id), timeout_s, f"no documents for case {case_id}")
        for document in case_documents(client, case_id):
            for revision in document["revisions"]:
                n = revision["revision"]
                answer = client.get(f"/cases/{case_id}/documents/{document['kind']}.pdf", params={"revision": n},
                                    headers=auth("petugas_tu")).raise_for_status()
                found[f"{case_id}/{document['kind']}/{n}"] = answer.headers["X-Document-SHA256"]
    return found


def capaian(client: httpx.Client, start: date, end: date) -> tuple[dict[str, Any], bytes]:
    """The capaian kinerja report of the period, as JSON and as the signed-off PDF form."""
    period = {"from": start.isoformat(), "to": end.isoformat()}
    answer = client.get("/reports/capaian-kinerja", params=period, headers=auth("kabid")).raise_for_status()
    form = client.get("/reports/capaian-kinerja", params=period | {"format": "pdf"}, headers=auth("kabid"))
    return answer.json(), form.raise_for_status().content


def register_book(client: httpx.Client, start: date, end: date) -> dict[str, str]:
    """The buku register of the period as PDF and CSV: {"pdf": sha256, "csv": sha256}."""
    from hashlib import sha256

    period = {"from": start.isoformat(), "to": end.isoformat()}
    return {fmt: sha256(client.get("/register/book", params=period | {"format": fmt}, headers=auth("petugas_tu"))
                        .raise_for_status().content).hexdigest() for fmt in ("pdf", "csv")}


def first_day(days_back: int = 3) -> date:
    return datetime.now(agency().tz).date() - timedelta(days=days_back)


def ok(answer: httpx.Response) -> httpx.Response:
    if answer.status_code != 200:
        raise RuntimeError(f"{answer.request.method} {answer.request.url.path}: {answer.status_code} {answer.text}")
    return answer


def wait_for(done: Callable[[], Any], timeout_s: float, failure: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(failure)
        time.sleep(0.2)
