"""The real system with one or two processes of every service, on SQLite or PostgreSQL, for bench_replicas."""
from __future__ import annotations

import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from system.launcher import SERVICES, prepare
from tests.benchmarks.live import groups_idle, quiet
from tests.benchmarks.meter import redis_server_pid
from tests.benchmarks.system import delete_keys, free_port, system_env, wait_for


@dataclass
class Replicated:
    urls: list[str]  # the gateways
    pids: dict[str, int]
    settle: Callable[[], bool]
    stop: Callable[[], None]


def drop_schemas(prefix: str) -> None:
    import psycopg

    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="test", autocommit=True) as conn:
        for (schema,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (f"{prefix}%",)):
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def start_replicated(tmp: Path, persistence: str, replicas: int) -> Replicated:
    prefix, schemas = f"bench-rep-{uuid.uuid4().hex[:8]}", f"bench_rep_{uuid.uuid4().hex[:8]}"
    env = system_env(prefix, tmp / "data") | {"SOP_PERSISTENCE": persistence}
    if persistence == "postgres":
        env |= {"SOP_POSTGRES_HOST": "127.0.0.1", "SOP_POSTGRES_USER": "postgres", "SOP_POSTGRES_DBNAME": "test",
                "SOP_POSTGRES_SCHEMA_PREFIX": schemas}
    system = prepare(env)
    system.start(timeout_s=90)
    for n in range(2, replicas + 1):
        for name, attr in SERVICES.items():
            port, extra = free_port(), f"{name}-{n}"
            system.processes[extra] = subprocess.Popen(
                [sys.executable, "-m", f"services.{name}.main"], env=system.env | {f"SOP_{attr.upper()}": str(port)},
                stdout=subprocess.DEVNULL)
            system.ports[extra] = port
        system.wait_healthy(90, [f"{name}-{n}" for name in SERVICES])
    pids = {name: proc.pid for name, proc in system.processes.items()}
    if (redis_pid := redis_server_pid()) is not None:
        pids["redis-server"] = redis_pid
    urls = [system.url("intake")] + [system.url(f"intake-{n}") for n in range(2, replicas + 1)]

    def settle() -> bool:
        services = [proc.pid for proc in system.processes.values()]
        return wait_for(lambda: groups_idle(prefix), 120, 0.2) and wait_for(lambda: quiet(services), 60, 0)

    def stop() -> None:
        for proc in system.processes.values():
            proc.terminate()
        deadline = time.monotonic() + 5
        for proc in system.processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
        system.stop()
        delete_keys(prefix)
        if persistence == "postgres":
            drop_schemas(schemas)

    return Replicated(urls, pids, settle, stop)
