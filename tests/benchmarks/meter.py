"""CPU seconds and peak RSS of a target's processes (and of the bench client), read with psutil.

CPU is user+system time from /proc, read at the edges of a phase: it counts what each process did, not
what the machine did, so other work on the machine costs a target only through contention, except in a
process that other work also uses (the machine's redis-server, shared with any test running beside us).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import psutil

from tests.benchmarks.system import cpu_seconds

CLIENT = "bench client"
REDIS_PORT = 6379  # the machine's Redis (tests.support.REDIS_URL), which the private system uses


def redis_server_pid(port: int = REDIS_PORT) -> int | None:
    """The redis-server listening on `port`: by its command line, else by its listening socket."""
    for proc in psutil.process_iter(["name", "cmdline"]):
        if proc.info["name"] == "redis-server" and any(f":{port}" in part for part in proc.info["cmdline"] or []):
            return proc.pid
    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
            return conn.pid
    return None


@dataclass
class ProcessMeter:
    pids: dict[str, int]
    interval_s: float = 0.05
    peak_rss_mib: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._procs = {name: psutil.Process(pid) for name, pid in self.pids.items()} | {CLIENT: psutil.Process()}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_rss, daemon=True)

    def cpu(self) -> dict[str, float]:
        return cpu_seconds(self._procs)

    def _sample_rss(self) -> None:
        while not self._stop.wait(self.interval_s):
            for name, proc in self._procs.items():
                if name == CLIENT:
                    continue
                try:
                    mib = proc.memory_info().rss / 2**20
                except psutil.Error:
                    continue
                self.peak_rss_mib[name] = max(self.peak_rss_mib.get(name, 0.0), mib)

    def __enter__(self) -> ProcessMeter:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds per process between two readings."""
    return {name: after[name] - before.get(name, 0.0) for name in after}
