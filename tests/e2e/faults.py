"""What the fault tests need: a Redis of their own that can be lost, and a portal that keeps going
through faults as a well-behaved portal does (every write keyed, retried until it is answered)."""
from __future__ import annotations

import contextlib
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from system.demo import Scenario, auth, move_body, step_content, submission, upload_request
from tests.support import free_port

RETRIED = {429, 500, 502, 503, 504}


@contextlib.contextmanager
def own_redis(workdir: Path) -> Iterator["OwnRedis"]:
    server = OwnRedis(workdir, free_port())
    try:
        yield server
    finally:
        server.process.kill()
        server.process.wait()


class OwnRedis:
    """A redis-server without persistence: `lose_everything` kills it and starts it again, empty."""

    def __init__(self, workdir: Path, port: int):
        self.workdir, self.port = workdir, port
        self.process = self._start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _start(self) -> subprocess.Popen:
        process = subprocess.Popen(["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no",
                                    "--dir", str(self.workdir)], stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        return process

    def lose_everything(self) -> None:
        self.process.kill()
        self.process.wait()
        self.process = self._start()


class Portal:
    """Walks scenarios through faults. A write gets an Idempotency-Key and is sent again, with the same
    key, on a refused connection, a timeout or a 5xx, until it is answered (a retried step is applied
    once: the command id comes from the key). `acknowledged` lists every (case, step, decision) answered 2xx."""

    def __init__(self, base_url: str, patience_s: float = 240):
        self.base_url, self.patience_s = base_url, patience_s
        self.acknowledged: list[tuple[str, int, str]] = []

    def send(self, method: str, path: str, role: str, key: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = auth(role) | ({"Idempotency-Key": key} if key else {}) | kwargs.pop("headers", {})
        deadline = time.monotonic() + self.patience_s
        while True:
            try:
                with httpx.Client(base_url=self.base_url, timeout=15) as client:
                    answer = client.request(method, path, headers=headers, **kwargs)
                busy = answer.status_code == 409 and answer.json().get("error") in (
                    "idempotency_key_in_use", "not_yet_consistent")
                if answer.status_code not in RETRIED and not busy:
                    return answer
            except httpx.TransportError:
                pass  # the service is down or restarting
            if time.monotonic() > deadline:
                raise TimeoutError(f"{method} {path} was not answered in {self.patience_s:.0f} s")
            time.sleep(0.3)

    def case(self, case_id: str) -> dict[str, Any]:
        return self.send("GET", f"/cases/{case_id}", "petugas_tu").json()

    def wait(self, case_id: str, ok) -> dict[str, Any]:
        deadline = time.monotonic() + self.patience_s
        while time.monotonic() < deadline:
            answer = self.send("GET", f"/cases/{case_id}", "petugas_tu")
            if answer.status_code == 200 and ok(answer.json()):
                return answer.json()
            time.sleep(0.2)
        raise TimeoutError(f"case {case_id} did not get there")

    def walk(self, scenario: Scenario, n: int) -> str:
        submitted = self.send("POST", "/requests", "pemohon", key=f"submit-{n}-{uuid.uuid4()}",
                              json=submission(scenario.sop_id, n))
        assert submitted.status_code == 201, submitted.text
        case_id = submitted.json()["case_id"]
        self.wait(case_id, lambda c: c["current_step"] == 2)
        for step, decision, role in scenario.moves:
            body = move_body(decision) | self.content(case_id, decision, role)
            answer = self.send("POST", f"/cases/{case_id}/steps/{step}", role, key=str(uuid.uuid4()), json=body)
            assert answer.status_code == 200, f"{scenario.sop_id} step {step}: {answer.status_code} {answer.text}"
            self.acknowledged.append((case_id, step, decision))
        self.wait(case_id, lambda c: c["outcome"] == scenario.outcome)
        return case_id

    def content(self, case_id: str, decision: str, role: str) -> dict[str, Any]:
        extra, upload = step_content(decision)
        if upload:
            request = upload_request(case_id, role, upload)
            path = request["url"].removeprefix(self.base_url)
            answer = self.send("POST", path, role, headers=request["headers"], content=request["content"])
            assert answer.status_code in (200, 201), answer.text
            extra["attachments"] = [answer.json()["sha256"]]
        return extra
