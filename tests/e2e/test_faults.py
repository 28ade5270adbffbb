"""Faults injected with cases in flight, against the real services on loopback: kill -9 of each service
in turn and its restart, then Redis lost and restarted empty (and on PostgreSQL, its connections dropped). Afterwards every acknowledged step is
stored once, register numbers have no gap, every document verifies, nothing is left pending, and replay
equals live. `make test` runs it on SQLite with a few cases; `make test-faults` on PostgreSQL too, with more
(SOP_FAULT_CASES).
"""
from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg
import pytest
import redis as sync_redis
from typer.testing import CliRunner

from system.cli import app
from system.demo import Scenario, auth, every_item, scenarios
from system.demo_documents import case_documents
from system.launcher import SERVICES
from tests.e2e.faults import OwnRedis, Portal, own_redis
from tests.support import own_schemas, private_system

pytestmark = pytest.mark.faults
CASES = int(os.environ.get("SOP_FAULT_CASES", "6"))
CLERK = auth("petugas_tu")


def kill_and_restart(system, name: str) -> None:
    system.processes[name].send_signal(signal.SIGKILL)
    system.processes[name].wait()
    system.start(timeout_s=120, services=[name])


@pytest.mark.parametrize("persistence", ["sqlite", pytest.param("postgres", marks=pytest.mark.faults_full)])
def test_nothing_acknowledged_is_lost_or_doubled_through_kills_and_a_lost_redis(tmp_path, persistence):
    walks = [s for s in scenarios() if s.sop_id in ("sop-a", "sop-b")]
    with own_redis(tmp_path) as redis_server, own_schemas(persistence) as stores, private_system(
            "test-faults", tmp_path / "data", timeout_s=120, SOP_REDIS_URL=redis_server.url, **stores) as system:
        portal, in_flight, faulting = Portal(system.url("intake")), [], threading.Event()
        faulting.set()
        walked: dict[str, Scenario] = {}
        numbers = itertools.count(700)

        def keep_walking() -> None:
            """Case after case while the faults go on (at least CASES // 4 + 1 each): cases are always moving."""
            done = 0
            while faulting.is_set() or done <= CASES // 4:
                n = next(numbers)
                walked[portal.walk(walks[n % len(walks)], n)] = walks[n % len(walks)]
                done += 1
                time.sleep(1.5)  # a portal's pace, not a flood: every case's papers are verified after

        with ThreadPoolExecutor(max_workers=4) as pool:
            walking = [pool.submit(keep_walking) for _ in range(4)]
            faults = [lambda name=name: kill_and_restart(system, name) for name in SERVICES]
            faults.append(redis_server.lose_everything)
            dropped: list[int] = []
            if persistence == "postgres":
                faults.append(lambda: dropped.append(drop_connections(stores["SOP_POSTGRES_SCHEMA_PREFIX"])))
            for fault in faults:  # one at a time, each while cases are moving
                time.sleep(1)
                in_flight.append(len(portal.acknowledged))
                fault()
            in_flight.append(len(portal.acknowledged))
            faulting.clear()
            for f in walking:
                f.result(timeout=900)
        cases = walked
        assert len(set(in_flight)) > 1, in_flight  # steps were acknowledged between and across the faults
        assert persistence == "sqlite" or dropped[0] > 0  # the services' connections were there to drop
        with httpx.Client(base_url=system.url("intake"), timeout=30) as api:
            for case_id, scenario in cases.items():
                trail = every_item(api, f"/cases/{case_id}/audit", "petugas_tu")
                steps = [(e["step"], e["decision"]) for e in trail if e["type"] == "StepCompleted"]
                assert steps[1:] == [(step, decision) for step, decision, _ in scenario.moves], case_id
                assert len({e["event_id"] for e in trail}) == len(trail)  # no event twice
            register = every_item(api, "/register", "sekretaris")
            assert {row["case_id"] for row in register} == set(cases)
            sequence = sorted(int(row["register_number"].split("/")[0]) for row in register)
            assert sequence == list(range(1, len(cases) + 1))  # no gap, no number twice
            verify_every_document(api, list(cases))
        assert nothing_pending(redis_server)
        replayed = CliRunner().invoke(app, ["replay", "--json"], env={k: v for k, v in system.env.items()
                                                                     if k.startswith("SOP_")})
        assert json.loads(replayed.stdout)["identical"], replayed.stdout


def drop_connections(schema_prefix: str) -> int:
    """Terminates the services' PostgreSQL connections whose statements name this test's schemas."""
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="test", autocommit=True) as conn:
        return len(conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
                                "pg_backend_pid() AND query LIKE %s", (f"%{schema_prefix}%",)).fetchall())


def verify_every_document(api: httpx.Client, case_ids: list[str]) -> None:
    for case_id in case_ids:
        listed = case_documents(api, case_id, CLERK)
        assert {"buku_tamu", "buku_register"} <= {d["kind"] for d in listed}, case_id
        for document in listed:
            pdf = api.get(document["download"], headers=CLERK)
            assert pdf.status_code == 200, (case_id, document["kind"])
            assert api.post("/verify", content=pdf.content).json()["genuine"] is True, (case_id, document["kind"])


def nothing_pending(redis_server: OwnRedis, timeout_s: float = 30) -> bool:
    r = sync_redis.Redis(port=redis_server.port)
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            streams = list(r.scan_iter(_type="stream"))
            if all(not g["pending"] for s in streams for g in r.xinfo_groups(s)):
                return True
            time.sleep(0.5)
        return False
    finally:
        r.close()
