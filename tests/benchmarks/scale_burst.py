"""The burst `make bench-scale` measures on a seeded target: new SOP C submissions, the register's first page
and old cases read by id, the same requests to the CRUD baseline and to the system.

Each round: POST /requests until its 201, then GET /cases/{id} until the case stands at its first step
(the register shows it), then GET /register?limit=100 and GET /cases/{old id} of a seeded case. `clients`
rounds run at a time (default one: the latency is then the target's, not a queue's). Every `scrape_every`
rounds each service's /metrics is read, as the deployment's Prometheus does every 15 s
(deploy/prometheus/prometheus.yml): what a collector computes per scrape counts in its RSS too.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from system.demo import auth, submission
from tests.benchmarks.case_steps import MOVES, SOP, bounded, call, client, read_until
from tests.benchmarks.drive import READER

FIRST_STEP = MOVES[0][0]
REGISTER_PAGE = 100


@dataclass
class Burst:
    submit_s: list[float] = field(default_factory=list)  # POST until 2xx
    visible_s: list[float] = field(default_factory=list)  # POST sent until the register shows the case
    register_page_s: list[float] = field(default_factory=list)
    old_case_s: list[float] = field(default_factory=list)
    metrics_s: dict[str, list[float]] = field(default_factory=dict)  # per service: GET /metrics
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0


async def scrape(metrics_urls: dict[str, str], found: Burst) -> None:
    async with client("http://127.0.0.1", len(metrics_urls)) as http:
        for name, url in metrics_urls.items():
            sent = time.perf_counter()
            async with http.get(url) as r:
                await r.read()
                if r.status == 200:
                    found.metrics_s.setdefault(name, []).append(time.perf_counter() - sent)
                else:
                    found.errors.append(f"GET {url}: {r.status}")


async def burst(base_url: str, rounds: int, first_n: int, old_cases: list[str], clients: int = 1,
                metrics_urls: dict[str, str] | None = None, scrape_every: int = 20) -> Burst:
    found = Burst()
    async with client(base_url, clients * 2) as http:
        async def timed_get(path: str, into: list[float]) -> None:
            sent = time.perf_counter()
            status, body = await call(http, "GET", path, READER)
            if status == 200:
                into.append(time.perf_counter() - sent)
            else:
                found.errors.append(f"GET {path}: {status} {str(body)[:200]}")

        async def one(n: int) -> None:
            if metrics_urls and n % scrape_every == 0:
                await scrape(metrics_urls, found)
            sent = time.perf_counter()
            status, body = await call(http, "POST", "/requests", auth("pemohon"), json=submission(SOP, first_n + n))
            if status != 201:
                found.errors.append(f"submit {first_n + n}: {status} {str(body)[:200]}")
                return
            found.submit_s.append(time.perf_counter() - sent)
            shown = await read_until(http, f"/cases/{body['case_id']}", lambda c: c["current_step"] == FIRST_STEP)
            if shown is None:
                found.errors.append(f"case {body['case_id']} never stood at step {FIRST_STEP}")
            else:
                found.visible_s.append(time.perf_counter() - sent)
            await timed_get(f"/register?limit={REGISTER_PAGE}", found.register_page_s)
            if old_cases:
                await timed_get(f"/cases/{old_cases[n % len(old_cases)]}", found.old_case_s)

        started = time.perf_counter()
        await bounded(clients, [lambda n=n: one(n) for n in range(rounds)])
        found.wall_s = time.perf_counter() - started
    return found
