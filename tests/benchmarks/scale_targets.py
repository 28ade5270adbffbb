"""The system and the CRUD baseline of `make bench-scale`, each started on stores seeded with N cases.

The system: intake's store is seeded (scale_seed.py), the four services are started on it and left to
work the requests off (routing, documents, SLA, the read models), then stopped and started again on the
filled stores, as an operator would start them the next morning: what the measure sees is a cold start on
N cases, not processes that still hold what working them off left in their caches.
"""
from __future__ import annotations

import random
import re
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from services.intake.views.store import VIEWS_VERSION
from system.launcher import System, prepare
from tests.benchmarks.scale_meter import PeakRss
from tests.benchmarks.scale_seed import seed_crud, seed_intake
from tests.benchmarks.system import delete_keys, system_env, wait_for
from tests.benchmarks.targets import Target, start_crud, stderr_into, stop_quickly

LAG = re.compile(r"^sop_(?:consumer_group_lag|relay_unpublished_events)\{[^}]*\} (\S+)$", re.M)


@dataclass
class Seeded:
    target: Target
    seed_s: dict[str, float]  # how long each part of filling the stores took
    old_cases: list[str]  # case ids of the seeded cases, for reads by id
    metrics_urls: dict[str, str] = field(default_factory=dict)  # each service's /metrics (the system's only)
    working_off_peak_mib: dict[str, float] = field(default_factory=dict)  # while the services took the N in


def behind(system: System) -> float | None:
    """What every service's own gauges say is left to do (events unpublished, not yet applied); None when
    a service does not answer. The gauges are refreshed every 5 s (shared/runtime.py, _measure)."""
    left = 0.0
    for name in system.ports:
        try:
            # One at a time and patient: at 100,000 open cases the SLA takes seconds per scrape, and a
            # scrape given up on and asked again piles collections up in its threads (1.4 GB seen).
            text = httpx.get(system.url(name) + "/metrics", timeout=120).text
        except httpx.HTTPError:
            return None
        left += sum(float(v) for v in LAG.findall(text))
    return left


def worked_off(system: System, views: Path, cases: int, timeout_s: float) -> bool:
    """Every seeded case stands at its first step in intake's register, and two rounds of the services'
    gauges 6 s apart say nothing is left unpublished or unapplied."""
    def opened() -> bool:
        with sqlite3.connect(f"file:{views}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM register WHERE current_step IS NOT NULL").fetchone()[0] >= cases

    def idle_twice() -> bool:
        if behind(system) != 0:
            return False
        time.sleep(6)
        return behind(system) == 0

    return wait_for(opened, timeout_s, 2) and wait_for(idle_twice, timeout_s, 1)


def sample_cases(db: Path, table: str, n: int) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        ids = [r[0] for r in conn.execute(f"SELECT case_id FROM {table}")]
    return random.Random(9).sample(ids, min(n, len(ids)))


def seeded_system(tmp: Path, cases: int, log: Path | None, timeout_s: float = 3600) -> Seeded:
    prefix, data = f"bench-scale-{uuid.uuid4().hex[:8]}", tmp / "data"
    views = data / f"intake-views-v{VIEWS_VERSION}.db"
    seed_s: dict[str, float] = {}
    with stderr_into(log):
        system = prepare(system_env(prefix, data))
        seed_s["intake store"] = seed_intake(system.env, cases, report_every=10_000)
        started = time.perf_counter()
        system.start(timeout_s=120)
        try:
            # Their peak here is that of a service that has taken N cases in since it started: kept too.
            with PeakRss({name: proc.pid for name, proc in system.processes.items()}) as working_off:
                if not worked_off(system, views, cases, timeout_s):
                    raise RuntimeError(f"the services did not work off {cases} seeded requests in {timeout_s:.0f} s")
        finally:
            stop_quickly(system, 10)
        seed_s["services working them off"] = time.perf_counter() - started
        system.start(timeout_s=120)  # the start that is measured
    pids = {name: proc.pid for name, proc in system.processes.items()}

    def stop() -> None:
        stop_quickly(system, 3)
        delete_keys(prefix)

    target = Target("system", system.url("intake"), pids, settle=lambda: behind(system) == 0, stop=stop)
    return Seeded(target, seed_s, sample_cases(views, "register", 200),
                  {name: system.url(name) + "/metrics" for name in system.ports}, working_off.peak_mib)


def seeded_crud(tmp: Path, cases: int, log: Path | None) -> Seeded:
    seed_s = {"crud file": seed_crud(tmp / "crud.db", cases)}
    cases_ids = sample_cases(tmp / "crud.db", "cases", 200)
    return Seeded(start_crud(tmp, log), seed_s, cases_ids)


STARTERS = {"crud": lambda tmp, cases, log: seeded_crud(tmp, cases, log), "system": seeded_system}
