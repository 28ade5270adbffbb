"""Issue 9's replay rate on a log large enough to time: intake's register and audit trails rebuilt from
event 1 (`timed_replay`, what `make bench` runs), beside its floors, in the same run.

    python -m tests.benchmarks.bench_replay [--copies N] [--rounds R]

The log: the recorded full run N times over (tests/benchmarks/replay_log.py, default 40: about 14,000
published events of 25,000 stored) in a temp folder's SQLite stores, and the live read model built from it as
the intake follower builds it (batches of 200). Then, R times interleaved: the streams read from Redis and
decoded (the floor `make bench` prints; the messages published under this run's own prefix, deleted after),
the stores read and mapped as the relay maps them (the floor of a rebuild from the stores), and the rebuild.
Writes bench-results/bench_replay.json. Not a test.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import redis as sync_redis
from rich.console import Console
from rich.table import Table

from services.intake.views.store import ViewStore
from shared.contracts import SERVICES, event_stream
from shared.replay import long_lived_set_aside
from shared.settings import Settings
from shared.sop.loader import SopLibrary
from system.stored_messages import StoreSource
from tests.benchmarks.live import timed_replay
from tests.benchmarks.replay_log import build_log
from tests.benchmarks.replay_rate import GOAL_EVENTS_PER_S, timed_read
from tests.benchmarks.system import REDIS_URL, ROOT, delete_keys

FOLLOWER_BATCH = 200


async def messages_of(settings: Settings) -> dict[str, list]:
    source = StoreSource(settings, SopLibrary.from_directory())
    try:
        return {s: [m for chunk in [c async for c in source.chunks(s)] for m in chunk] for s in SERVICES}
    finally:
        source.close()


async def timed_store_read(settings: Settings) -> dict:
    """The floor of a rebuild from the stores: every published event read and mapped, nothing applied (with
    the long-lived objects set aside from the collector, as a rebuild sets them)."""
    source = StoreSource(settings, SopLibrary.from_directory())
    started, events = time.perf_counter(), 0
    with long_lived_set_aside():
        for service in SERVICES:
            async for chunk in source.chunks(service):
                events += len(chunk)
    seconds = time.perf_counter() - started
    source.close()
    return {"events": events, "seconds": seconds, "events_per_s": events / seconds}


def publish(prefix: str, messages: dict[str, list]) -> None:
    r = sync_redis.Redis.from_url(REDIS_URL)
    for service, found in messages.items():
        with r.pipeline(transaction=False) as pipe:
            for m in found:
                pipe.xadd(event_stream(prefix, service), m.to_wire())
            pipe.execute()
    r.close()


def follow(live: Path, messages: dict[str, list]) -> float:
    """The live read model as its follower builds it; answers its events/s."""
    store, started = ViewStore(live), time.perf_counter()
    for found in messages.values():
        for start in range(0, len(found), FOLLOWER_BATCH):
            if failed := store.apply_batch(found[start:start + FOLLOWER_BATCH]):
                raise AssertionError(f"the live fold failed: {failed}")
    seconds = time.perf_counter() - started
    store.db.close()
    return sum(map(len, messages.values())) / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    prefix = f"bench-replay-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        settings = Settings(persistence="sqlite", data_dir=data)
        stored = build_log(settings, args.copies)
        messages = asyncio.run(messages_of(settings))
        follower = follow(data / "live-views.db", messages)
        try:
            publish(prefix, messages)
            rounds = [{"redis_read": asyncio.run(timed_read(prefix)),
                       "store_read": asyncio.run(timed_store_read(settings)),
                       "rebuilt": asyncio.run(timed_replay(prefix, data / "live-views.db", data / "fresh.db"))}
                      for _ in range(args.rounds)]
        finally:
            delete_keys(prefix)
    figures = {"stored_events": stored, "follower_events_per_s": follower, "rounds": rounds}
    show(figures)
    out = ROOT / "bench-results" / "bench_replay.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2))
    if not all(r["rebuilt"]["identical"] for r in rounds):
        raise SystemExit("the rebuilt read model differs from the live one")


def show(figures: dict) -> None:
    rounds = figures["rounds"]
    rate = {k: statistics.median(r[k]["events_per_s"] for r in rounds) for k in ("redis_read", "store_read", "rebuilt")}
    table = Table(title=f"replay of {rounds[0]['rebuilt']['events']:,} published events "
                        f"({figures['stored_events']:,} stored), median of {len(rounds)} rounds")
    for column in ("measure", "events/s", "rebuilt ÷ it"):
        table.add_column(column, justify="right")
    for name, key in (("Redis streams read + decoded (make bench's floor)", "redis_read"),
                      ("stores read + mapped as the relay does", "store_read"), ("rebuilt and compared", "rebuilt")):
        table.add_row(name, f"{rate[key]:,.0f}", f"{rate['rebuilt'] / rate[key]:.2f}×")
    table.add_row("live follower's fold (batches of 200), once", f"{figures['follower_events_per_s']:,.0f}", "")
    table.add_row("goal", f"{GOAL_EVENTS_PER_S:,}", f"{rate['rebuilt'] / GOAL_EVENTS_PER_S:.2f}×")
    Console().print(table)
    print("identical:", all(r["rebuilt"]["identical"] for r in rounds))


if __name__ == "__main__":
    main()
