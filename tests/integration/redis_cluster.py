"""A throwaway three-node Redis Cluster on loopback, from the machine's redis-server."""
from __future__ import annotations

import contextlib
import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import redis as sync_redis



@contextlib.contextmanager
def redis_cluster(workdir: Path, nodes: int = 3) -> Iterator[list[int]]:
    """Yields the nodes' ports once the cluster answers `cluster_state:ok`; stops them after."""
    if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
        raise RuntimeError("redis-server and redis-cli are needed: apt-get install redis-server")
    ports = [_node_port() for _ in range(nodes)]
    procs = [subprocess.Popen(["redis-server", "--port", str(p), "--cluster-enabled", "yes",
                               "--cluster-config-file", str(workdir / f"nodes-{p}.conf"), "--dir", str(workdir),
                               "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
             for p in ports]
    try:
        for p in ports:
            _until(lambda p=p: sync_redis.Redis(port=p).ping())
        subprocess.run(["redis-cli", "--cluster", "create", *(f"127.0.0.1:{p}" for p in ports),
                        "--cluster-replicas", "0", "--cluster-yes"], check=True, capture_output=True)
        _until(lambda: all(sync_redis.Redis(port=p).cluster("info")["cluster_state"] == "ok" for p in ports))
        yield ports
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


def _node_port() -> int:
    """A free port whose cluster bus port (+10000, which Redis fixes) is free and exists too."""
    while True:
        port = random.randint(20_000, 55_000)
        try:
            for p in (port, port + 10_000):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
            return port
        except OSError:
            continue


def _until(check, timeout: float = 20) -> None:
    deadline, last = time.monotonic() + timeout, None
    while True:
        try:
            if check():
                return
        except Exception as exc:  # noqa: BLE001 - not up yet
            last = exc
        if time.monotonic() > deadline:
            raise TimeoutError(f"the Redis Cluster did not come up: {last!r}")
        time.sleep(0.1)
