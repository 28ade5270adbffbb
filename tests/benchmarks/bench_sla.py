"""SLA recomputation over N cases (events/s), beside a baseline measured in the same run.

    python -m tests.benchmarks.bench_sla [--cases N] [--batch B]

Generates routing's events for N synthetic cases (tests/benchmarks/bench_sla_events.py), writes them to a
stream on the real Redis under a key prefix of its own (deleted after), then measures:
(a) baseline: XRANGE in batches of B + EventMessage.from_wire of every entry, nothing else (best of 3);
    beside it, XRANGE alone;
(b) SLA work: the same read and decode + SlaStore.apply into a fresh SQLite store (a file, WAL, as the
    service keeps it);
(c) store.recompute(calendar) over all cases, when the store has it (skipped with a note otherwise).
Prints a table and writes bench-results/bench_sla.json. Not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import redis as sync_redis
from rich.console import Console
from rich.table import Table

from shared.working_calendar import WorkingCalendar
from services.sla.projection import SlaStore
from shared.events import from_wire
from shared.contracts import EventMessage, event_stream
from shared.sop.loader import SopLibrary
from tests.benchmarks.bench_sla_events import routing_events
from tests.benchmarks.system import REDIS_URL, ROOT, delete_keys


def write_stream(client: sync_redis.Redis, stream: str, messages: list[EventMessage], batch: int) -> float:
    started = time.perf_counter()
    for i in range(0, len(messages), batch):
        pipe = client.pipeline(transaction=False)
        for m in messages[i:i + batch]:
            pipe.xadd(stream, m.to_wire())
        pipe.execute()
    return time.perf_counter() - started


def read_stream(client: sync_redis.Redis, stream: str, batch: int, sink: Callable[[EventMessage], object] | None,
                ) -> tuple[int, float]:
    """Reads the whole stream with XRANGE; decodes each entry and hands it to `sink` unless sink is None."""
    started, low, n = time.perf_counter(), "-", 0
    while entries := client.xrange(stream, min=low, max="+", count=batch):
        if sink is not None:
            for _, fields in entries:
                sink(from_wire(fields))
        n += len(entries)
        low = "(" + entries[-1][0].decode()
    return n, time.perf_counter() - started


def measure(args: argparse.Namespace, client: sync_redis.Redis, stream: str, tmp: Path) -> dict:
    library, calendar = SopLibrary.from_directory(), WorkingCalendar()
    started = time.perf_counter()
    messages = routing_events(args.cases, library, calendar)
    found: dict = {"config": {"cases": args.cases, "events": len(messages), "batch": args.batch,
                              "generate_s": time.perf_counter() - started}}
    found["config"]["xadd_s"] = write_stream(client, stream, messages, args.batch)
    events = len(messages)

    def rate(seconds: float) -> dict:
        return {"seconds": seconds, "events_per_s": events / seconds}

    found["xrange_only"] = rate(min(read_stream(client, stream, args.batch, None)[1] for _ in range(3)))
    found["baseline"] = rate(min(read_stream(client, stream, args.batch, lambda m: None)[1] for _ in range(3)))
    store = SlaStore(tmp / "sla-views.db", library, calendar)
    read, seconds = read_stream(client, stream, args.batch, store.apply)
    assert read == events, f"read {read} of {events} events"
    before = store.snapshot()
    found["apply"] = rate(seconds) | {"visits": len(before), "open": len(store.visits(open_only=True))}
    recompute = getattr(store, "recompute", None)
    if recompute is None:
        found["recompute"] = {"skipped": "SlaStore has no recompute(calendar) yet"}
    else:
        started = time.perf_counter()
        recompute(calendar)
        found["recompute"] = rate(time.perf_counter() - started) | {"identical": store.snapshot() == before}
    store.db.close()
    return found


def print_table(f: dict, console: Console) -> None:
    c, base = f["config"], f["baseline"]["events_per_s"]
    table = Table(title=f"bench_sla: {c['cases']} cases, {c['events']} routing events, XRANGE batches of {c['batch']}")
    for column in ("figure", "events/s", "baseline", "baseline events/s", "ratio", "note"):
        table.add_column(column, justify="right" if column in ("events/s", "baseline events/s", "ratio") else "left")
    baseline = "(a) XRANGE + from_wire, no SLA work"
    table.add_row("XRANGE alone, no decode", f"{f['xrange_only']['events_per_s']:,.0f}", baseline, f"{base:,.0f}",
                  f"{f['xrange_only']['events_per_s'] / base:.3g}×", "best of 3")
    a = f["apply"]
    table.add_row("(b) read + decode + SlaStore.apply", f"{a['events_per_s']:,.0f}", baseline, f"{base:,.0f}",
                  f"{a['events_per_s'] / base:.3g}×", f"{a['seconds']:.2f} s; {a['visits']} visits, {a['open']} open; "
                  f"{(1 / a['events_per_s'] - 1 / base) * 1e6:,.0f} µs SLA work per event")
    r = f["recompute"]
    if "skipped" in r:
        table.add_row("(c) store.recompute(calendar)", "—", baseline, f"{base:,.0f}", "—", r["skipped"])
    else:
        table.add_row("(c) store.recompute(calendar)", f"{r['events_per_s']:,.0f}", baseline, f"{base:,.0f}",
                      f"{r['events_per_s'] / base:.3g}×", f"{r['seconds']:.2f} s over all cases; "
                      + ("rows identical" if r["identical"] else "rows DIFFER from the applied ones"))
    console.print(table)
    console.print(f"generated in {c['generate_s']:.2f} s, written (XADD, pipelined) in {c['xadd_s']:.2f} s")


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_sla", description=__doc__.split("\n")[0])
    p.add_argument("--cases", type=int, default=5000,
                   help="synthetic cases, about 8 events each (5000 take ~15 s in all, 20000 ~70 s)")
    p.add_argument("--batch", type=int, default=500, help="entries per XADD pipeline and per XRANGE")
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench_sla.json")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse(argv)
    prefix = f"bench-sla-{uuid.uuid4().hex[:8]}"
    client = sync_redis.Redis.from_url(REDIS_URL)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            figures = measure(args, client, event_stream(prefix, "routing"), Path(tmp))
    finally:
        client.close()
        delete_keys(prefix)
    print_table(figures, Console(width=None if os.isatty(1) else 180))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
