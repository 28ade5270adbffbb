"""The real system with one or two processes of every service, on SQLite or PostgreSQL, for bench_replicas."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from system.launcher import prepare
from tests.benchmarks.live import groups_idle, quiet
from tests.benchmarks.meter import redis_server_pid
from tests.benchmarks.system import delete_keys, system_env, wait_for
from tests.benchmarks.targets import stop_quickly
from tests.e2e.replicas import start_replicas
from tests.places import drop_schemas


@dataclass
class Replicated:
    urls: list[str]  # the gateways
    pids: dict[str, int]
    settle: Callable[[], bool]
    stop: Callable[[], None]


def start_replicated(tmp: Path, persistence: str, replicas: int) -> Replicated:
    prefix, schemas = f"bench-rep-{uuid.uuid4().hex[:8]}", f"bench_rep_{uuid.uuid4().hex[:8]}"
    env = system_env(prefix, tmp / "data") | {"SOP_PERSISTENCE": persistence}
    if persistence == "postgres":
        env |= {"SOP_POSTGRES_HOST": "127.0.0.1", "SOP_POSTGRES_USER": "postgres", "SOP_POSTGRES_DBNAME": "test",
                "SOP_POSTGRES_SCHEMA_PREFIX": schemas}
    system = prepare(env)
    system.start(timeout_s=90)
    for n in range(2, replicas + 1):
        start_replicas(system, 90, n)
    pids = {name: proc.pid for name, proc in system.processes.items()}
    if (redis_pid := redis_server_pid()) is not None:
        pids["redis-server"] = redis_pid
    urls = [system.url("intake")] + [system.url(f"intake-{n}") for n in range(2, replicas + 1)]

    def settle() -> bool:
        services = [proc.pid for proc in system.processes.values()]
        return wait_for(lambda: groups_idle(prefix), 120, 0.2) and wait_for(lambda: quiet(services), 60, 0)

    def stop() -> None:
        stop_quickly(system, 5)
        delete_keys(prefix)
        if persistence == "postgres":
            drop_schemas(schemas)

    return Replicated(urls, pids, settle, stop)
