"""Readiness tells an orchestrator when a process takes work; losing Redis's data heals by itself; SIGTERM
finishes what is in hand and exits within its grace."""
from __future__ import annotations

import signal
import threading
import time

import httpx
import redis as sync_redis

from shared.contracts import command_stream
from system.demo import auth, run_scenario, scenarios, submission
from system.launcher import SERVICES
from tests.support import REDIS_URL, delete_keys, private_system

GRACE_S = 8


def ready(system, name: str, timeout_s: float = 40) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        answer = httpx.get(f"{system.url(name)}/health/ready", timeout=5)
        if answer.status_code == 200 or time.monotonic() > deadline:
            return answer.json() | {"http_status": answer.status_code}
        assert answer.status_code == 503 and answer.json()["error"] == "not_ready", answer.text
        time.sleep(0.2)


def test_ready_heals_after_redis_loses_everything_and_sigterm_finishes_in_hand(tmp_path):
    sop_b = next(s for s in scenarios() if s.sop_id == "sop-b")
    with private_system("test-ready", tmp_path, timeout_s=90, SOP_SHUTDOWN_GRACE_S=str(GRACE_S)) as system, \
            httpx.Client(base_url=system.url("intake"), timeout=20) as api:
        for name in SERVICES:
            assert ready(system, name)["http_status"] == 200
            assert httpx.get(f"{system.url(name)}/health/live").json()["status"] == "alive"
        prefix = system.env["SOP_STREAM_PREFIX"]
        run_scenario(api, sop_b, 1)

        delete_keys(prefix)  # Redis lost this system's streams, groups and positions: as FLUSHDB would
        healed = ready(system, "routing")
        assert healed["http_status"] == 200, healed["problems"]
        r = sync_redis.Redis.from_url(REDIS_URL)
        assert [g["name"] for g in r.xinfo_groups(command_stream(prefix))] == [b"routing"]
        r.close()
        case_id = run_scenario(api, sop_b, 2)  # a whole case again, through the recreated group

        answers: list[int] = []
        in_hand = threading.Thread(target=lambda: answers.append(api.get(
            f"/cases/{case_id}", params={"min_version": 999}, headers=auth("sekretaris")).status_code))
        in_hand.start()
        time.sleep(0.5)  # the read now waits for a version that will not come (SOP_READ_WAIT_S, 5 s)
        stopped_at = time.monotonic()
        for name in SERVICES:
            system.processes[name].send_signal(signal.SIGTERM)
        in_hand.join(GRACE_S + 5)
        assert answers == [409]  # answered in full ("not yet consistent"), not cut off
        for name, proc in system.processes.items():
            # uvicorn shuts down gracefully, then raises the captured SIGTERM again, as a process should
            assert proc.wait(GRACE_S + 10) in (0, -signal.SIGTERM), name
        assert time.monotonic() - stopped_at < GRACE_S + 10
        refused = None
        try:
            httpx.post(f"{system.url('intake')}/requests", json=submission("sop-b", 3), headers=auth("pemohon"))
        except httpx.TransportError as exc:
            refused = exc
        assert refused is not None  # nothing is taken once it stopped
