"""RSS of each service process and, apart, of the workers it forks (documents renders PDFs in a process
pool): meter.py's ProcessMeter reads the given processes only, and a pool's workers start when first needed."""
from __future__ import annotations

import threading

import psutil


def tree_rss_mib(pids: dict[str, int]) -> dict[str, float]:
    """Each process's RSS; its children's together under '<name> workers' (only when it has some)."""
    found: dict[str, float] = {}
    for name, pid in pids.items():
        try:
            proc = psutil.Process(pid)
            found[name] = proc.memory_info().rss / 2**20
            children = proc.children(recursive=True)
        except psutil.Error:
            continue
        workers = 0.0
        for child in children:
            try:
                workers += child.memory_info().rss / 2**20
            except psutil.Error:
                pass
        if workers:
            found[f"{name} workers"] = workers
    return {name: round(mib, 1) for name, mib in found.items()}


class PeakRss:
    """The highest tree_rss_mib of each entry, sampled every `interval_s` in a thread while in the block."""

    def __init__(self, pids: dict[str, int], interval_s: float = 0.05):
        self.pids, self.interval_s, self.peak_mib = pids, interval_s, tree_rss_mib(pids)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            for name, mib in tree_rss_mib(self.pids).items():
                self.peak_mib[name] = max(self.peak_mib.get(name, 0.0), mib)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
