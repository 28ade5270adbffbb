"""What both loops of the comparison send, the same requests to the CRUD baseline and to the real system.

SOP C along "answered in full" (system.demo.scenarios): 11 step commands, each by a key of the step's
role, with the draft at step 5 and files uploaded first at steps 6 and 10 (system.demo.step_content). A
read after a command asks for the version the command answered (?min_version=): the real system waits
for its read model to get there; the CRUD baseline has it already (its write committed before the answer).

The client is aiohttp, not httpx: httpx spends about 3.5 ms of CPU per request here, aiohttp about 0.2 ms,
and the driver shares the two cores with the target (with httpx the driver was the CRUD baseline's limit).
"""
from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from system.demo import auth, move_body, step_content, submission, upload_request
from tests.benchmarks.drive import READER, completed_paths

SOP = "sop-c"
MOVES: list[tuple[int, str, str]] = completed_paths()[SOP].moves  # (step, decision, role)
AUDIT_PAGE = 500  # one page holds a whole SOP C case's trail on both targets


Http = aiohttp.ClientSession


def client(base_url: str, connections: int) -> Http:
    return aiohttp.ClientSession(base_url, connector=aiohttp.TCPConnector(limit=connections),
                                 timeout=aiohttp.ClientTimeout(total=60))


async def call(http: Http, method: str, path: str, headers: dict[str, str], **kwargs: Any) -> tuple[int, Any]:
    """(status, the JSON body, or the start of the text when it is not JSON)."""
    async with http.request(method, path, headers=headers, **kwargs) as r:
        raw = await r.read()
        try:
            return r.status, json.loads(raw)
        except ValueError:
            return r.status, raw[:200].decode(errors="replace")


async def read_until(http: Http, path: str, ok: Callable[[Any], bool], timeout_s: float = 30,
                     every_s: float = 0.005) -> float | None:
    """Seconds until GET `path` answers 200 with something `ok`; 409 (not yet consistent) is retried."""
    started = time.perf_counter()
    while True:
        status, body = await call(http, "GET", path, READER)
        if status == 200 and ok(body):
            return time.perf_counter() - started
        if status not in (200, 409) or time.perf_counter() - started > timeout_s:
            return None
        await asyncio.sleep(every_s)


async def open_case(http: Http, n: int) -> str:
    """Submits request n and waits until the case stands at its first step: the case id."""
    status, body = await call(http, "POST", "/requests", auth("pemohon"), json=submission(SOP, n))
    if status != 201:
        raise RuntimeError(f"submit {n}: {status} {body}")
    case_id = body["case_id"]
    first = MOVES[0][0]
    if await read_until(http, f"/cases/{case_id}", lambda c: c["current_step"] == first) is None:
        raise RuntimeError(f"case {case_id} never opened at step {first}")
    return case_id


async def step_body(http: Http, case_id: str, move: int) -> dict[str, Any]:
    """What the demo hands in at a step: the draft, or a file uploaded first (its own request)."""
    _, decision, role = MOVES[move]
    extra, upload = step_content(decision)
    if upload:
        request = upload_request(case_id, role, upload)
        status, body = await call(http, "POST", request["url"], request["headers"], data=request["content"])
        if status not in (200, 201):
            raise RuntimeError(f"upload to {case_id}: {status} {body}")
        extra["attachments"] = [body["sha256"]]
    return move_body(decision) | extra


async def bodies_for(http: Http, case_id: str) -> list[dict[str, Any]]:
    """Every step's body for one case, its uploads done (the open loop prepares them beforehand)."""
    return [await step_body(http, case_id, move) for move in range(len(MOVES))]


async def send_step(http: Http, case_id: str, move: int, body: dict[str, Any]) -> tuple[int, Any]:
    step, _, role = MOVES[move]
    return await call(http, "POST", f"/cases/{case_id}/steps/{step}", auth(role), json=body)


async def register_shows(http: Http, case_id: str, version: int) -> float | None:
    return await read_until(http, f"/cases/{case_id}?min_version={version}", lambda c: c["version"] >= version)


async def audit_shows(http: Http, case_id: str, step: int, version: int) -> float | None:
    def has_step(page: dict[str, Any]) -> bool:
        return any(e["type"] == "StepCompleted" and e["step"] == step for e in page["items"])

    return await read_until(http, f"/cases/{case_id}/audit?min_version={version}&limit={AUDIT_PAGE}", has_step)


async def bounded(concurrency: int, jobs: list[Callable[[], Any]]) -> list[Any]:
    """Runs the jobs `concurrency` at a time; their results in order."""
    gate = asyncio.Semaphore(concurrency)

    async def one(job):
        async with gate:
            return await job()

    return await asyncio.gather(*(one(job) for job in jobs))
