"""The open loop: step commands sent on a fixed schedule, whether or not earlier ones have answered.

Command k is due at t0 + k/rate and goes to case k mod M (its next step), so one case's steps are M/rate
seconds apart. Latency counts from the time a command was due, not from when it went out: a system that
falls behind sees its queueing in the figure (no coordinated omission). A command whose case's previous
step has not answered yet waits for it, and that wait counts too. Every `probe_every`-th accepted command
is followed by reads that time its 2xx -> the register, and -> the audit trail, showing it.
"""
from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field

from tests.benchmarks.case_steps import (MOVES, audit_shows, bodies_for, bounded, client, open_case, register_shows,
                                         send_step)


@dataclass
class OpenLoop:
    rate: float
    scheduled: int = 0
    commands_ok: int = 0
    unfinished: int = 0  # still unanswered at the drain deadline: counted at the deadline, so a lower bound
    wall_s: float = 0.0
    latency: list[float] = field(default_factory=list)  # due time -> 2xx (or -> the deadline, if unfinished)
    register_visible: list[float] = field(default_factory=list)
    audit_visible: list[float] = field(default_factory=list)
    probe_timeouts: int = 0
    setup_s: float = 0.0  # opening the cases and uploading their files
    ready_s: float = 0.0  # the `ready` call after it
    errors: list[str] = field(default_factory=list)

    @property
    def achieved_per_s(self) -> float:
        return self.commands_ok / self.wall_s if self.wall_s else 0.0


async def prepare(http, cases: int, concurrency: int, first_n: int) -> list[tuple[str, list[dict]]]:
    """Opens the cases and uploads their files before the clock starts: only step commands are scheduled."""
    async def one(n: int):
        case_id = await open_case(http, n)
        return case_id, await bodies_for(http, case_id)

    return await bounded(concurrency, [lambda n=n: one(n) for n in range(first_n, first_n + cases)])


async def probe(http, result: OpenLoop, case_id: str, step: int, version: int) -> None:
    register, audit = await asyncio.gather(register_shows(http, case_id, version),
                                           audit_shows(http, case_id, step, version))
    for seen, into in ((register, result.register_visible), (audit, result.audit_visible)):
        if seen is None:
            result.probe_timeouts += 1
        else:
            into.append(seen)


async def open_loop(base_url: str, rate: float, duration_s: float, probe_every: int = 4, drain_s: float = 20,
                    setup_concurrency: int = 32, first_n: int = 100_000, ready=None) -> OpenLoop:
    """`ready`, if given, is called after the setup and before the clock starts (to read CPU there)."""
    result = OpenLoop(rate=rate, scheduled=int(rate * duration_s))
    n_cases = math.ceil(result.scheduled / len(MOVES) * 1.1)  # a little slack: each case stops short of its end
    async with client(base_url, 512) as http:
        started = time.perf_counter()
        cases = await prepare(http, n_cases, setup_concurrency, first_n)
        result.setup_s = time.perf_counter() - started
        if ready is not None:
            await asyncio.to_thread(ready)
        result.ready_s = time.perf_counter() - started - result.setup_s
        answered = [asyncio.Event() for _ in range(result.scheduled)]
        ok = [False] * result.scheduled
        probes: list[asyncio.Task] = []
        t0 = time.perf_counter() + 0.05

        async def command(k: int) -> None:
            due = t0 + k / rate
            case_id, bodies = cases[k % n_cases]
            move = k // n_cases
            try:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                if k >= n_cases:  # the case's previous step must have answered
                    await answered[k - n_cases].wait()
                    if not ok[k - n_cases]:
                        result.errors.append(f"case {case_id} move {move}: skipped, the previous step failed")
                        return
                status, answer = await send_step(http, case_id, move, bodies[move])
                result.latency.append(time.perf_counter() - due)
                if status != 200:
                    result.errors.append(f"case {case_id} step {MOVES[move][0]}: {status} {answer}")
                    return
                ok[k] = True
                result.commands_ok += 1
                if k % probe_every == 0:
                    probes.append(asyncio.create_task(probe(http, result, case_id, MOVES[move][0],
                                                            answer["version"])))
            except Exception as exc:  # a dropped connection is a failed command, not the end of the run
                result.errors.append(f"case {case_id} move {move}: {type(exc).__name__}: {exc}")
            finally:
                answered[k].set()

        tasks = [asyncio.create_task(command(k)) for k in range(result.scheduled)]
        _, late = await asyncio.wait(tasks, timeout=duration_s + drain_s + 0.05)
        deadline = time.perf_counter()
        result.wall_s = deadline - t0
        for task in late:
            task.cancel()
        result.unfinished = len(late)
        result.latency += [deadline - (t0 + k / rate) for k, task in enumerate(tasks) if task in late]
        await asyncio.gather(*probes, return_exceptions=True)
    return result
