"""Drives cases through the public HTTP API, C at a time, and probes when each step becomes visible.

Each case takes the first "completed" scenario of system.demo.scenarios for its SOP (the three SOPs
in turn). After a sampled step command is accepted (its 200 response), a separate task polls the
register (GET /cases/{id}) and the audit trail (GET /cases/{id}/audit) every `poll_s` until each shows
that step; the driver does not wait for it and sends the case's next command at once.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import httpx

from system.demo import Scenario, auth, move_body, scenarios, step_content, submission, upload_request

SOP_ORDER = ("sop-a", "sop-b", "sop-c")
READER = auth("petugas_tu")


def completed_paths() -> dict[str, Scenario]:
    found: dict[str, Scenario] = {}
    for scenario in scenarios():
        if scenario.outcome == "completed" and scenario.sop_id not in found:
            steps = [step for step, _, _ in scenario.moves]
            # The register probe reads "last_step >= step": right only while a path never goes back.
            assert steps == sorted(set(steps)), f"{scenario.sop_id}: path {steps} is not increasing"
            found[scenario.sop_id] = scenario
    return found


@dataclass
class DriveResult:
    cases: list[str] = field(default_factory=list)
    commands_ok: int = 0
    submissions_ok: int = 0
    wall_s: float = 0.0
    step_latency: list[float] = field(default_factory=list)
    submit_latency: list[float] = field(default_factory=list)
    opened_latency: list[float] = field(default_factory=list)  # submission accepted -> register shows the case open
    register_visible: list[float] = field(default_factory=list)
    audit_visible: list[float] = field(default_factory=list)
    probes: int = 0
    probe_timeouts: int = 0
    probe_first_get_hits: int = 0  # probes (register or audit) whose first GET already showed the step
    gets: int = 0
    get_latency: list[float] = field(default_factory=list)  # every GET of the driver: open waits and probes
    errors: list[str] = field(default_factory=list)
    not_completed: int = 0


async def poll(client: httpx.AsyncClient, result: DriveResult, path: str, ok, since: float, every_s: float,
               timeout_s: float = 15, probing: bool = False) -> float | None:
    """Seconds from `since` until GET `path` answers something `ok`; None on timeout."""
    first = True
    while True:
        sent = time.perf_counter()
        r = await client.get(path, headers=READER)
        now = time.perf_counter()
        result.gets += 1
        result.get_latency.append(now - sent)
        if r.status_code == 200 and ok(r.json()):
            result.probe_first_get_hits += probing and first
            return now - since
        first = False
        if now - since > timeout_s:
            return None
        await asyncio.sleep(every_s)


async def probe(client, result: DriveResult, case_id: str, step: int, accepted: float, every_s: float) -> None:
    def on_audit(rows) -> bool:
        return any(r["type"] == "StepCompleted" and r["source"] == "routing" and r["step"] == step
                   for r in rows["items"])

    register, audit = await asyncio.gather(
        poll(client, result, f"/cases/{case_id}", lambda c: (c.get("last_step") or 0) >= step, accepted, every_s,
             probing=True),
        poll(client, result, f"/cases/{case_id}/audit", on_audit, accepted, every_s, probing=True),
    )
    result.probes += 1
    for found, into in ((register, result.register_visible), (audit, result.audit_visible)):
        if found is None:
            result.probe_timeouts += 1
        else:
            into.append(found)


async def run_case(client, result: DriveResult, scenario: Scenario, n: int, probe_every: int, every_s: float,
                   probes: list[asyncio.Task]) -> None:
    started = time.perf_counter()
    r = await client.post("/requests", json=submission(scenario.sop_id, n), headers=auth("pemohon"))
    accepted = time.perf_counter()
    if r.status_code != 201:
        result.errors.append(f"submit {scenario.sop_id}: {r.status_code} {r.text[:200]}")
        return
    result.submit_latency.append(accepted - started)
    result.submissions_ok += 1
    case_id = r.json()["case_id"]
    result.cases.append(case_id)
    first = scenario.moves[0][0]
    opened = await poll(client, result, f"/cases/{case_id}", lambda c: c["current_step"] == first, accepted, every_s)
    if opened is None:
        result.errors.append(f"case {case_id} never opened")
        return
    result.opened_latency.append(opened)
    for step, decision, role in scenario.moves:
        body = await step_body(client, case_id, decision, role)  # an upload is its own request, not timed
        sent = time.perf_counter()
        r = await client.post(f"/cases/{case_id}/steps/{step}", json=body, headers=auth(role))
        done = time.perf_counter()
        if r.status_code != 200:
            result.errors.append(f"{scenario.sop_id} {case_id} step {step}: {r.status_code} {r.text[:200]}")
            return
        result.step_latency.append(done - sent)
        result.commands_ok += 1
        if probe_every and result.commands_ok % probe_every == 0:
            probes.append(asyncio.create_task(probe(client, result, case_id, step, done, every_s)))


async def step_body(client: httpx.AsyncClient, case_id: str, decision: str, role: str) -> dict:
    """What the demo hands in at each step: the draft, or a file uploaded first."""
    extra, upload = step_content(decision)
    if upload:
        r = await client.post(**upload_request(case_id, role, upload))
        extra["attachments"] = [r.json()["sha256"]]
    return move_body(decision) | extra


async def drive(base_url: str, n_cases: int, concurrency: int, probe_every: int = 1,
                poll_s: float = 0.005) -> DriveResult:
    paths = completed_paths()
    plan = [paths[SOP_ORDER[i % len(SOP_ORDER)]] for i in range(n_cases)]
    result, probes, next_case = DriveResult(), [], iter(range(n_cases))
    limits = httpx.Limits(max_connections=concurrency * 4 + 20, max_keepalive_connections=concurrency * 4 + 20)

    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        async def worker() -> None:
            for n in next_case:
                await run_case(client, result, plan[n], n + 1, probe_every, poll_s, probes)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.wall_s = time.perf_counter() - started
        await asyncio.gather(*probes)
        for case_id in result.cases:  # every case must end "completed", as the scenario says
            done = await poll(client, DriveResult(), f"/cases/{case_id}", lambda c: c["outcome"] == "completed",
                              time.perf_counter(), 0.05, timeout_s=30)
            result.not_completed += done is None
    return result
