"""The floor as a target of `make bench`: its four processes started fresh, settled when every projection
holds every event the write model logged."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

from tests.benchmarks.live import groups_idle, quiet
from tests.benchmarks.meter import redis_server_pid
from tests.benchmarks.system import delete_keys, free_port, wait_for
from tests.benchmarks.targets import Target, stderr_into, wait_healthy

FOLLOWERS = ("sla", "documents")


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute(sql).fetchone()
        return row[0] if row else 0


def start_floor(tmp: Path, log: Path | None = None) -> Target:
    prefix, port, procs = f"bench-floor-{uuid.uuid4().hex[:8]}", free_port(), {}
    module = "tests.benchmarks.floor"
    with stderr_into(log):
        procs["write-model"] = subprocess.Popen([sys.executable, "-m", f"{module}.write_model", "--prefix", prefix,
                                                 "--db", str(tmp / "write.db"), "--ready", str(tmp / "write.ready")])
        for name in FOLLOWERS:
            procs[name] = subprocess.Popen([sys.executable, "-m", f"{module}.follower", "--prefix", prefix,
                                            "--db", str(tmp / f"{name}.db"), "--ready", str(tmp / f"{name}.ready")])
        procs["gateway"] = subprocess.Popen([sys.executable, "-m", f"{module}.gateway", "--prefix", prefix,
                                             "--port", str(port), "--db", str(tmp / "gateway.db")])
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, procs["gateway"])
    if not wait_for(lambda: all((tmp / f"{n}.ready").exists() for n in ("write", *FOLLOWERS)), 30):
        raise RuntimeError("the floor's processes did not start")
    pids = {name: proc.pid for name, proc in procs.items()}
    if (redis_pid := redis_server_pid()) is not None:
        pids["redis-server"] = redis_pid

    def stop() -> None:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
        delete_keys(prefix)

    def caught_up() -> bool:
        logged = count(tmp / "write.db", "SELECT count(*) FROM audit")
        return all(count(tmp / f"{n}.db", "SELECT seq FROM position") == logged for n in ("gateway", *FOLLOWERS))

    def settle() -> bool:
        own = [pid for name, pid in pids.items() if name != "redis-server"]
        return wait_for(lambda: groups_idle(prefix), 60, 0.2) and wait_for(caught_up, 60, 0.1) and \
            wait_for(lambda: quiet(own), 30, 0)

    return Target("floor", url, pids, settle=settle, stop=stop, shared_pids={"redis-server"})
