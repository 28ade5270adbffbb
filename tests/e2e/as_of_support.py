"""A SOP C case walked to the end (the data redone once, parts withheld) for the `as_of` tests: its settled
audit trail, the instants between its steps, and a read at an instant."""
from __future__ import annotations

import time
from datetime import datetime

import httpx

from system.demo import auth, run_scenario, scenarios
from tests.e2e.test_documents import documents_once_settled

CLERK = auth("petugas_tu")
KINDS = {"surat_masuk", "surat_permintaan_data", "disposisi_surat", "konsep_surat_jawaban", "hasil_pengolahan_data",
         "surat_jawaban"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def settled_trail(api, case_id: str) -> list[dict]:
    """The live audit trail once every service has recorded its part (documents trail routing)."""
    documents_once_settled(api, case_id, KINDS, numbered=True)
    previous = None
    for _ in range(100):
        trail = api.get(f"/cases/{case_id}/audit", params={"limit": 500}, headers=CLERK).json()["items"]
        if trail == previous and any(e["type"] == "LetterNumbered" for e in trail):
            return trail
        previous = trail
        time.sleep(0.2)
    raise AssertionError(f"the audit trail of {case_id} did not settle")


def read(api, path: str, instant: datetime, headers=CLERK, **params):
    return api.get(path, params={"as_of": instant.isoformat(), **params}, headers=headers)


def walked_case(system, n: int):
    """(case id, its settled audit trail, its live SLA figures) of a fresh SOP C case."""
    with httpx.Client(base_url=system.url("intake"), timeout=15) as api:
        case_id = run_scenario(api, scenarios()[8], n)
        trail = settled_trail(api, case_id)
        sla = api.get(f"/cases/{case_id}/sla", headers=CLERK).json()
        return case_id, trail, sla


def between_steps(trail: list[dict]) -> list[tuple[dict, dict, datetime]]:
    steps = [e for e in trail if e["type"] == "StepCompleted"]
    return [(done, following, at(done["recorded_at"]) + (at(following["recorded_at"]) - at(done["recorded_at"])) / 2)
            for done, following in zip(steps, steps[1:])]
