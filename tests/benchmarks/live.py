"""Reads the running system's streams and read models: settling, a real wire entry, the replay."""
from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path

import psutil
import redis as sync_redis

from services.intake.views.replay import replay_views
from shared.contracts import SERVICES, event_stream
from shared.settings import Settings
from shared.sop.loader import SopLibrary
from system.stored_messages import StoreSource
from tests.benchmarks.system import REDIS_URL, wait_for


def stream_lengths(prefix: str) -> dict[str, int]:
    r = sync_redis.Redis.from_url(REDIS_URL)
    found = {s: r.xlen(event_stream(prefix, s)) for s in SERVICES}
    r.close()
    return found


def settled(prefix: str, views_db: Path) -> bool:
    """Every published event is in intake's audit trail, and stays so for a moment."""
    def audit_rows() -> int:
        with sqlite3.connect(f"file:{views_db}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM audit").fetchone()[0]

    def caught_up() -> bool:
        return audit_rows() == sum(stream_lengths(prefix).values())

    return wait_for(caught_up, 30) and wait_for(lambda: time.sleep(0.3) or caught_up(), 5)


def groups_idle(prefix: str) -> bool:
    """Every consumer group on every stream of `prefix` (routing's command streams: the event streams
    are followed without groups) has read everything and acked it."""
    r = sync_redis.Redis.from_url(REDIS_URL)
    try:
        for key in r.scan_iter(match=f"{prefix}*", _type="stream", count=1000):
            if any(g["pending"] or g.get("lag") for g in r.xinfo_groups(key)):
                return False
        return True
    finally:
        r.close()


def sample_wire(prefix: str) -> dict:
    """A real StepCompleted entry of routing's stream: the size the raw Redis baseline sends."""
    r = sync_redis.Redis.from_url(REDIS_URL)
    try:
        for _, fields in r.xrange(event_stream(prefix, "routing"), count=50):
            if fields.get(b"type") == b"StepCompleted":
                return fields
    finally:
        r.close()
    raise RuntimeError("no StepCompleted in routing's stream")


async def timed_replay(prefix: str, live: Path, fresh: Path) -> dict:
    """services.intake.views.replay from event 1 into a fresh SQLite file, compared with the live read models."""
    source = StoreSource(Settings(data_dir=live.parent, persistence="sqlite"), SopLibrary.from_directory())
    started = time.perf_counter()
    report = await replay_views(source, live, fresh)
    seconds = time.perf_counter() - started
    source.close()
    return {"events": report.events, "applied": report.applied, "seconds": seconds,
            "events_per_s": report.events / seconds, "identical": report.identical, "rows": report.rows,
            "differences": {k: v[:5] for k, v in report.differences.items() if v}}


def quiet(pids: list[int], window_s: float = 0.5, busy_s: float = 0.02) -> bool:
    """The processes spent (almost) no CPU over `window_s`: every follower has worked off its backlog.
    What stays is their idle polling and the SLA tick."""
    def used() -> float:
        total = 0.0
        for pid in pids:
            with contextlib.suppress(psutil.NoSuchProcess):
                times = psutil.Process(pid).cpu_times()
                total += times.user + times.system
        return total
    before = used()
    time.sleep(window_s)
    return used() - before < busy_s * len(pids)
