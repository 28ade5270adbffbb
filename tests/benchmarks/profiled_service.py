"""A service run with a CPU-time sampler, switched on and off from outside: for `make bench-profile`.

    python -m tests.benchmarks.profiled_service <service> <out.json>

Runs `services.<service>.main` as `python -m` would, unchanged. SIGUSR1 starts the sampler, SIGUSR2
stops it and writes <out.json>. The sampler is the kernel's profiling timer (ITIMER_PROF): a SIGPROF
after every 5 ms of the process's CPU time, whose handler books the CPU used since the last one to the
stack the event-loop thread is in. Samples so follow CPU, not the wall clock. Why not py-spy or cProfile:
on this loaded 2-core machine py-spy counts a thread waiting for a core as busy (it booked 2-4× psutil's
CPU, mostly to socket writes and fsync); cProfile with a CPU clock costs ~1.5 µs a call (routing ran at
10× its CPU); a sampling thread only gets the GIL where the loop releases it, so it booked short handlers
to epoll. C code is booked to the Python function that called it; CPU of other threads (a thread pool)
to whatever the loop's thread was doing, and is reported apart.
"""
from __future__ import annotations

import json
import runpy
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psutil

from system.launcher import SERVICES, System

INTERVAL_S = 0.005


def thread_cpu() -> dict[int, float]:
    return {t.id: t.user_time + t.system_time for t in psutil.Process().threads()}


class CpuSampler:
    def __init__(self) -> None:
        self.own: Counter = Counter()  # "qualname\tfile" of the innermost frame -> CPU seconds
        self.cumulative: Counter = Counter()  # every function on the stack -> CPU seconds
        self._last = time.process_time()
        self._threads = thread_cpu()

    def start(self) -> None:
        signal.signal(signal.SIGPROF, self._tick)
        signal.setitimer(signal.ITIMER_PROF, INTERVAL_S, INTERVAL_S)

    def stop(self) -> dict:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, signal.SIG_IGN)
        now = thread_cpu()
        loop = threading.main_thread().native_id
        others = sum(s - self._threads.get(t, 0.0) for t, s in now.items() if t != loop)
        return {"cpu_s": sum(self.own.values()), "other_threads_cpu_s": others, "own": self.own,
                "cumulative": self.cumulative}

    def _tick(self, _: int, frame) -> None:
        now = time.process_time()
        used, self._last = now - self._last, now  # ticks can merge under load: book what was used
        stack = []
        while frame is not None:
            stack.append(f"{frame.f_code.co_qualname}\t{frame.f_code.co_filename}")
            frame = frame.f_back
        if stack:
            self.own[stack[0]] += used
            for key in set(stack):
                self.cumulative[key] += used


def main() -> None:
    service, out = sys.argv[1], Path(sys.argv[2])
    samplers: list[CpuSampler] = []

    def start(*_: object) -> None:
        samplers.append(CpuSampler())
        samplers[-1].start()

    def stop(*_: object) -> None:
        out.write_text(json.dumps(samplers[-1].stop()))

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    sys.argv = [f"services/{service}/main.py"]
    runpy.run_module(f"services.{service}.main", run_name="__main__", alter_sys=True)


def launch(system: System, into: Path) -> None:
    """Starts every service of `system` under this wrapper, as System.start would start them plainly."""
    into.mkdir(parents=True, exist_ok=True)
    for name in SERVICES:
        system.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "tests.benchmarks.profiled_service", name, str(into / f"{name}.json")],
            env=system.env, stdout=subprocess.DEVNULL)
    system.wait_healthy(60, list(SERVICES))


if __name__ == "__main__":
    main()
