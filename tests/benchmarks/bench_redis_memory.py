"""Redis memory per 1,000 cases with the streams trimmed and without, and what 100,000 cases would take.

    python -m tests.benchmarks.bench_redis_memory [--cases N] [--retain-s S]

Starts the four services twice (real Redis, own prefix, SQLite in a temp dir), once with
SOP_STREAM_TRIM=0 and once trimming with a retention of S seconds, and walks N SOP C cases to the end
through the API each time (11 step commands a case). When the read models have caught up and the
retention has passed, it sums `MEMORY USAGE` of every key of the run's prefix, streams apart. Writes
bench-results/bench_redis_memory.json. Not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

import redis as sync_redis

from tests.benchmarks.case_steps import MOVES, bodies_for, bounded, client, open_case, send_step
from tests.benchmarks.system import REDIS_URL, ROOT
from tests.support import private_system


async def walk(base_url: str, cases: int) -> int:
    async with client(base_url, 32) as http:
        async def one(n: int) -> int:
            case_id = await open_case(http, 50_000 + n)
            bodies = await bodies_for(http, case_id)
            for move in range(len(MOVES)):
                status, body = await send_step(http, case_id, move, bodies[move])
                if status != 200:
                    raise RuntimeError(f"{case_id} move {move}: {status} {body}")
            return len(MOVES)
        return sum(await bounded(16, [lambda n=n: one(n) for n in range(cases)]))


def memory(prefix: str) -> dict:
    r = sync_redis.Redis.from_url(REDIS_URL)
    try:
        keys = [k for p in (f"{prefix}*", f"{{{prefix}*") for k in r.scan_iter(match=p, count=1000)]
        usage = {k.decode(): r.memory_usage(k, samples=0) or 0 for k in keys}
        streams = {k: r.xlen(k) for k in usage if r.type(k) == b"stream"}
        return {"bytes": sum(usage.values()), "stream_bytes": sum(usage[k] for k in streams),
                "stream_entries": sum(streams.values()), "keys": len(usage),
                "by_stream": {k.removeprefix(prefix): {"entries": n, "bytes": usage[k]} for k, n in streams.items()}}
    finally:
        r.close()


def run(cases: int, trim: bool, retain_s: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp, private_system(
            "bench-redis", Path(tmp), timeout_s=120, SOP_STREAM_TRIM="1" if trim else "0", SOP_STREAM_RETAIN_S=str(retain_s)) as system:
        prefix = system.env["SOP_STREAM_PREFIX"]
        started = time.perf_counter()
        commands = asyncio.run(walk(system.url("intake"), cases))
        elapsed = time.perf_counter() - started
        time.sleep(retain_s + 12)  # the read models catch up; two trimming rounds (every 5 s) pass the window
        return {"trim": trim, "cases": cases, "step_commands": commands, "seconds": round(elapsed, 1),
                **memory(prefix)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--retain-s", type=float, default=10.0)
    args = parser.parse_args()
    off, on = run(args.cases, False, args.retain_s), run(args.cases, True, args.retain_s)
    per_k = {name: r["bytes"] / r["cases"] * 1000 for name, r in (("off", off), ("on", on))}
    print(f"{args.cases} SOP C cases walked to the end, each run; trimming keeps {args.retain_s:g} s")
    print(f"{'':24}{'untrimmed':>14}{'trimmed':>14}")
    for label, key in (("stream entries left", "stream_entries"), ("stream bytes", "stream_bytes"),
                       ("all keys, bytes", "bytes")):
        print(f"{label:24}{off[key]:>14,}{on[key]:>14,}")
    print(f"{'bytes per 1,000 cases':24}{per_k['off']:>14,.0f}{per_k['on']:>14,.0f}")
    print(f"at 100,000 cases: untrimmed ≈ {per_k['off'] * 100 / 2**20:,.0f} MiB, growing with every case; trimmed, "
          f"what the last {args.retain_s:g} s of traffic and the unread hold, ≈ {on['bytes'] / 2**20:,.1f} MiB here")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "bench_redis_memory.json").write_text(json.dumps({"untrimmed": off, "trimmed": on}, indent=2))


if __name__ == "__main__":
    main()
