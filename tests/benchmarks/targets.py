"""The two things `make bench` drives: the CRUD baseline and the real system, each started fresh.

A target knows its base URL, the processes whose CPU and memory count as its own, and when it has
settled (all work a command caused is done, so CPU read after it is the whole cost).
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import httpx

from services.intake.views.store import VIEWS_VERSION
from system.launcher import System, prepare
from tests.benchmarks.live import groups_idle, quiet, settled
from tests.benchmarks.meter import REDIS_PORT, redis_server_pid
from tests.benchmarks.profiled_service import launch as launch_profiled
from tests.benchmarks.replay_rate import measure_replay
from tests.benchmarks.system import delete_keys, free_port, system_env, wait_for


@dataclass
class Target:
    name: str
    url: str
    pids: dict[str, int]  # process name -> pid, everything this target runs on
    settle: Callable[[], bool]
    stop: Callable[[], None]
    shared_pids: set[str] = field(default_factory=set)  # processes other work on the machine also uses
    replay: Callable[[], dict] | None = None  # the read models rebuilt from the streams (replay_rate.py)


def wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy (exit code {proc.poll()})")


def start_crud(tmp: Path, log: Path | None = None) -> Target:
    port = free_port()
    # Same interpreter and cwd as the launcher gives the real services.
    with stderr_into(log):
        proc = subprocess.Popen([sys.executable, "-m", "tests.benchmarks.crud_baseline", "--port", str(port),
                                 "--db", str(tmp / "crud.db")])
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc)

    def stop() -> None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

    # Nothing runs behind the answer: settled as soon as the answer is out.
    return Target("crud", url, {"crud": proc.pid}, settle=lambda: True, stop=stop)


def stop_quickly(system: System, grace_s: float) -> None:
    """A service still working off a backlog can take the launcher's whole 10 s grace: a bench keeps less."""
    for proc in system.processes.values():
        proc.terminate()
    deadline = time.monotonic() + grace_s
    for proc in system.processes.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
    system.stop()


@contextlib.contextmanager
def stderr_into(log: Path | None) -> Iterator[None]:
    """Child processes started inside inherit `log` as their stderr (the launcher passes ours on)."""
    if log is None:
        yield
        return
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with log.open("a") as file:
        os.dup2(file.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def start_real(tmp: Path, log: Path | None = None, profile_into: Path | None = None,
               env: dict[str, str] | None = None) -> Target:
    """The four services; with `profile_into`, each under a CPU sampler (profiled_service.py), off;
    `env`: settings on top of the benchmark's own (bench_audit_cost.py turns the audit guarantees off)."""
    prefix = f"bench-cmp-{uuid.uuid4().hex[:8]}"
    data = tmp / "data"
    with stderr_into(log):  # a service's retried Redis timeout under load prints a traceback: kept, not shown
        system = prepare(system_env(prefix, data) | (env or {}))
        if profile_into is None:
            system.start(timeout_s=60)
        else:
            launch_profiled(system, profile_into)
    pids = {name: proc.pid for name, proc in system.processes.items()}
    redis_pid = redis_server_pid()
    if redis_pid is None:
        print(f"warning: no redis-server found on port {REDIS_PORT}; its CPU is not counted", file=sys.stderr)
    else:
        pids["redis-server"] = redis_pid

    def stop() -> None:
        stop_quickly(system, 3)
        delete_keys(prefix)

    views = data / f"intake-views-v{VIEWS_VERSION}.db"
    def settle() -> bool:
        # Every group has acked all it was sent (documents may trail a closed loop on 2 cores),
        # then intake's audit trail holds every event published.
        services = [pid for name, pid in pids.items() if name != "redis-server"]
        return (wait_for(lambda: groups_idle(prefix), 120, 0.2) and settled(prefix, views)
                and wait_for(lambda: quiet(services), 60, 0))

    return Target("system", system.url("intake"), pids, settle=settle, stop=stop, shared_pids={"redis-server"},
                  replay=lambda: measure_replay(prefix, views, tmp / "replay.db"))


STARTERS = {"crud": start_crud, "system": start_real}
