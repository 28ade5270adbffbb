"""The closed loop: C clients, each takes the next SOP C case and walks it to the end, one step at a time.

A client sends a step only after the previous one answered and a read showed it (read your write,
GET /cases/{id}?min_version=<the command's version>), as a person at a screen would. Step commands/s is
step commands over the wall time of the whole loop (submissions, uploads and reads included); the step
latency is the step command's own round trip.
"""
from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

from tests.benchmarks.case_steps import MOVES, client, open_case, register_shows, send_step, step_body


@dataclass
class ClosedLoop:
    cases: int = 0
    commands_ok: int = 0
    wall_s: float = 0.0
    step_latency: list[float] = field(default_factory=list)
    read_own_write: list[float] = field(default_factory=list)  # 2xx -> the read answered with that version
    errors: list[str] = field(default_factory=list)
    deadline_hit: bool = False  # cases were left unstarted to keep the run bounded in time

    @property
    def commands_per_s(self) -> float:
        return self.commands_ok / self.wall_s if self.wall_s else 0.0


async def walk(http, result: ClosedLoop, n: int) -> None:
    case_id = await open_case(http, n)
    for move, (step, _, _) in enumerate(MOVES):
        body = await step_body(http, case_id, move)  # an upload is its own request, not timed
        sent = time.perf_counter()
        status, answer = await send_step(http, case_id, move, body)
        result.step_latency.append(time.perf_counter() - sent)
        if status != 200:
            result.errors.append(f"case {case_id} step {step}: {status} {answer}")
            return
        result.commands_ok += 1
        seen = await register_shows(http, case_id, answer["version"])
        if seen is None:
            result.errors.append(f"case {case_id} step {step}: never visible at version {answer['version']}")
            return
        result.read_own_write.append(seen)
    result.cases += 1


async def closed_loop(base_url: str | list[str], cases: int, concurrency: int, first_n: int = 1,
                      deadline_s: float = float("inf")) -> ClosedLoop:
    """`base_url`: one gateway, or replicas of it, each client staying with one (as a sticky balancer)."""
    result, numbers = ClosedLoop(), iter(range(first_n, first_n + cases))
    urls = [base_url] if isinstance(base_url, str) else base_url

    async def worker(http) -> None:
        for n in numbers:
            if time.perf_counter() - started > deadline_s:
                result.deadline_hit = True
                return
            try:
                await walk(http, result, n)
            except Exception as exc:  # one broken case is a figure, not the end of the run
                result.errors.append(f"case {n}: {type(exc).__name__}: {exc}")

    async with contextlib.AsyncExitStack() as stack:
        https = [await stack.enter_async_context(client(url, concurrency * 2 + 8)) for url in urls]
        started = time.perf_counter()
        await asyncio.gather(*(worker(https[n % len(https)]) for n in range(concurrency)))
        result.wall_s = time.perf_counter() - started
    return result

