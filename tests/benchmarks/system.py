"""The whole system for a benchmark: free ports, its own Redis prefix, a temp data dir, RSS sampling."""
from __future__ import annotations

import math
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from system.launcher import SERVICES, System, prepare
from tests.support import REDIS_URL, delete_keys, free_port  # noqa: F401 - re-exported to the benchmarks

ROOT = Path(__file__).resolve().parents[2]


def missing_services(services: list[str]) -> list[str]:
    return [s for s in services if not (ROOT / "services" / s / "main.py").exists()]


def system_env(prefix: str, data_dir: Path) -> dict[str, str]:
    """What a benchmark's system gets: the real Redis under its own prefix, SQLite in `data_dir`, free ports."""
    overrides = {"SOP_REDIS_URL": REDIS_URL, "SOP_STREAM_PREFIX": prefix, "SOP_QUIET": "1",
                 "SOP_DATA_DIR": str(data_dir), "SOP_PERSISTENCE": "sqlite"}
    return overrides | {f"SOP_{attr.upper()}": str(free_port()) for attr in SERVICES.values()}


def start_system(prefix: str, data_dir: Path, services: list[str]) -> System:
    system = prepare(system_env(prefix, data_dir))
    system.start(timeout_s=60, services=services)
    return system


@dataclass
class MemorySampler:
    """Samples the RSS of each service process every `interval_s` in a thread; keeps idle and peak."""

    pids: dict[str, int]
    interval_s: float = 0.05
    idle: dict[str, float] = field(default_factory=dict)
    peak: dict[str, float] = field(default_factory=dict)
    samples: int = 0
    cpu_s: dict[str, float] = field(default_factory=dict)  # user+system seconds while sampling

    def __post_init__(self) -> None:
        self._procs = {name: psutil.Process(pid) for name, pid in self.pids.items()}
        self._procs_cpu = self._procs | {"bench client": psutil.Process()}
        self._cpu0 = self._cpu()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.idle = self._sample()
        self.peak = dict(self.idle)

    def _sample(self) -> dict[str, float]:
        found = {}
        for name, proc in self._procs.items():
            try:
                found[name] = proc.memory_info().rss / 2**20
            except psutil.Error:
                pass
        return found

    def _cpu(self) -> dict[str, float]:
        return cpu_seconds(self._procs_cpu)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            for name, mib in self._sample().items():
                self.peak[name] = max(self.peak.get(name, 0.0), mib)
            self.samples += 1

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu_s = {n: round(s - self._cpu0.get(n, 0.0), 2) for n, s in self._cpu().items()}


def percentiles(values_s: list[float]) -> dict[str, float | int | None]:
    """p50 and p99 in milliseconds (nearest rank), plus the count."""
    if not values_s:
        return {"n": 0, "p50_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(values_s)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000

    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p99_ms": round(rank(99), 2), "max_ms": round(ordered[-1] * 1000, 2)}


def wait_for(check, timeout_s: float, every_s: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every_s)
    return False


def cpu_seconds(procs: dict[str, psutil.Process]) -> dict[str, float]:
    """User + system CPU seconds of each process still running."""
    found = {}
    for name, proc in procs.items():
        try:
            times = proc.cpu_times()
            found[name] = times.user + times.system
        except psutil.Error:
            pass
    return found
