"""The demo's documents: wait until each case has every document its steps produce, save them, verify one."""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from system.demo import Scenario, auth
from shared.http.documents_api import ARCHIVE_COPIES
from shared.sop.loader import SopLibrary

CLERK = auth("petugas_tu")


# Outputs a step makes only on some of its decisions: the written notice, when SOP C's step 3 does not approve.
ONLY_WHEN_ENDED = {"pemberitahuan_tertulis": ("refused", "incomplete")}


def expected_kinds(library: SopLibrary, scenario: Scenario) -> set[str]:
    """Every output of the steps the scenario reaches (step 1 is the submission), with a letter's archive copy."""
    sop = library.latest(scenario.sop_id)
    reached = {sop.start} | {step for step, _, _ in scenario.moves}
    outputs = {kind for step in reached for kind in sop.step(step).outputs
               if scenario.outcome in ONLY_WHEN_ENDED.get(kind, (scenario.outcome,))}
    return outputs | {ARCHIVE_COPIES[k] for k in outputs if k in ARCHIVE_COPIES}


def case_documents(client: httpx.Client, case_id: str, headers: dict[str, str] = CLERK) -> list[dict[str, Any]]:
    """Every page of the case's documents; none while the documents service has not filed the case (404)."""
    listed: list[dict[str, Any]] = []
    after = None
    while True:
        answer = client.get(f"/cases/{case_id}/documents", params={"after": after} if after else {}, headers=headers)
        if answer.status_code == 404 and not listed:
            return listed
        page = answer.raise_for_status().json()
        listed += page["items"]
        if (after := page["next"]) is None:
            return listed


def settled_documents(client: httpx.Client, case_id: str, kinds: set[str], signed: bool,
                      timeout_s: float = 30) -> list[dict[str, Any]]:
    """The case's documents once all `kinds` are there (and the reply is numbered, when it is signed)."""
    deadline = time.monotonic() + timeout_s
    while True:
        listed = case_documents(client, case_id)
        numbered = any(d["kind"] == "surat_jawaban" and d["number"] for d in listed)
        if {d["kind"] for d in listed} >= kinds and (numbered or not signed):
            return listed
        if time.monotonic() > deadline:
            raise TimeoutError(f"case {case_id} has {sorted(d['kind'] for d in listed)}; expected {sorted(kinds)}")
        time.sleep(0.1)


def save_documents(client: httpx.Client, listed: list[dict[str, Any]], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for document in listed:
        path = folder / f"{document['kind']}.pdf"
        path.write_bytes(client.get(document["download"], headers=CLERK).raise_for_status().content)
        saved.append(path)
    return saved


def save_register_book(client: httpx.Client, folder: Path, day: date) -> list[Path]:
    saved = []
    for fmt in ("pdf", "csv"):
        answer = client.get("/register/book", params={"from": day.isoformat(), "to": day.isoformat(), "format": fmt},
                            headers=CLERK).raise_for_status()
        path = folder / f"buku-register-{day}.{fmt}"
        path.write_bytes(answer.content)
        saved.append(path)
    return saved


def verify_original_and_tampered(client: httpx.Client, pdf: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """What POST /verify says of a genuine PDF and of the same PDF with one byte changed."""
    tampered = bytearray(pdf)
    tampered[len(tampered) // 2] ^= 0x01
    return (client.post("/verify", content=pdf).json(), client.post("/verify", content=bytes(tampered)).json())
