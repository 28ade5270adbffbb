"""Webhook deliveries per second, and the delay from a step command's 2xx to the delivery of its event,
beside the raw Redis hop measured in the same run.

    python -m tests.benchmarks.bench_webhooks [--steps N] [--rate R]

Starts the four services (real Redis, own prefix, SQLite in a temp dir) and a receiver on loopback that
verifies every signature (tests/webhook_receiver.py, in a process of its own, so that it does not share
the driver's interpreter). Opens N SOP B cases,
then registers a webhook for StepCompleted and completes step 2 of every case in an open loop at R steps/s
(default 100): each event's delay is its arrival at the receiver minus its command's 2xx. Then redelivers
all of them at once (POST /webhooks/{id}/redeliver) for the dispatcher's top rate. Writes
bench-results/bench_webhooks.json. Not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from system.demo import auth, submission
from tests.benchmarks import baselines
from tests.benchmarks.system import REDIS_URL, ROOT, percentiles
from tests.support import free_port, private_system

SECRET = "bench-webhook-secret-of-a-portal-0123"


async def post(http: aiohttp.ClientSession, path: str, role: str, body: dict) -> tuple[int, dict]:
    async with http.post(path, json=body, headers=auth(role)) as r:
        return r.status, await r.json()


async def open_cases(http: aiohttp.ClientSession, n: int) -> list[str]:
    gate = asyncio.Semaphore(16)

    async def one(k: int) -> str:
        async with gate:
            status, body = await post(http, "/requests", "pemohon", submission("sop-b", 10_000 + k))
            assert status == 201, body
            for _ in range(400):
                async with http.get(f"/cases/{body['case_id']}", headers=auth("petugas_tu")) as r:
                    if r.status == 200 and (await r.json())["current_step"] == 2:
                        return body["case_id"]
                await asyncio.sleep(0.02)
            raise RuntimeError(f"case {body['case_id']} never reached step 2")
    return list(await asyncio.gather(*(one(k) for k in range(n))))


async def open_loop(http: aiohttp.ClientSession, cases: list[str], rate: float) -> tuple[dict, dict]:
    """Step 2 of every case, the i-th command sent at start + i / rate; when each was sent and answered 2xx."""
    sent: dict[str, float] = {}
    answered: dict[str, float] = {}
    start = time.perf_counter() + 0.2

    async def one(i: int, case_id: str) -> None:
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        sent[case_id] = time.time()
        status, body = await post(http, f"/cases/{case_id}/steps/2", "petugas_tu", {"decision": "registered"})
        if status == 200:
            answered[case_id] = time.time()
    await asyncio.gather(*(one(i, c) for i, c in enumerate(cases)))
    return sent, answered


class LoggedReceiver:
    """The receiver's process and what it logged: each delivery accepted, the first time."""

    def __init__(self, folder: Path):
        self.port, self.log = free_port(), folder / "received.jsonl"
        self.log.touch()
        self.process = subprocess.Popen([sys.executable, "-m", "tests.webhook_receiver", SECRET, str(self.port),
                                         str(self.log)], cwd=ROOT)
        time.sleep(1.5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def accepted(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines() if line.endswith("}")]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def arrivals(receiver: LoggedReceiver, cases: set[str]) -> dict[str, float]:
    return {b["event"]["case_id"]: b["received_at"] for b in receiver.accepted()
            if b["event"]["case_id"] in cases and b["event"]["step"] == 2}


async def wait_for(check, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return True
        await asyncio.sleep(0.05)
    return False


async def measure(base_url: str, receiver: LoggedReceiver, steps: int, rate: float) -> dict:
    async with aiohttp.ClientSession(base_url, connector=aiohttp.TCPConnector(limit=64)) as http:
        cases = await open_cases(http, steps)
        status, hook = await post(http, "/webhooks", "petugas_tu",
                                  {"url": receiver.url, "secret": SECRET, "event_types": ["StepCompleted"]})
        assert status == 201, hook
        sent, answered = await open_loop(http, cases, rate)
        await wait_for(lambda: len(arrivals(receiver, set(cases))) >= len(answered), 120)
        got = arrivals(receiver, set(cases))
        delays = [got[c] - answered[c] for c in answered if c in got]
        from_send = [got[c] - sent[c] for c in answered if c in got]
        command = [answered[c] - sent[c] for c in answered]
        span = max(got.values()) - min(got.values()) if len(got) > 1 else None
        burst_s, redelivered = await redelivery_burst(http, hook, len(got))
    return {"steps_sent": steps, "steps_2xx": len(answered), "delivered": len(got),
            "offered_rate_per_s": rate, "delivered_per_s_at_offered_rate": round(len(got) / span, 1) if span else None,
            "delay_2xx_to_delivery": percentiles([max(0.0, d) for d in delays]),
            "delivered_before_2xx": sum(d < 0 for d in delays),
            "delay_send_to_delivery": percentiles(from_send), "command_latency": percentiles(command),
            "redelivery_burst": {"deliveries": redelivered, "seconds": round(burst_s, 2),
                                 "per_s": round(redelivered / burst_s, 1)}}


async def redelivery_burst(http: aiohttp.ClientSession, hook: dict, n: int) -> tuple[float, int]:
    """Every delivery of the endpoint sent again at once: the dispatcher's top rate (the receiver dedupes, so
    the endpoint's own count of delivered attempts says when they are through)."""
    path = f"/webhooks/{hook['id']}"
    started = time.perf_counter()
    status, _ = await post(http, f"{path}/redeliver", "petugas_tu", {"after": hook["position"], "only_dead": False})
    assert status == 200

    async def delivered() -> int:
        async with http.get(path, headers=auth("petugas_tu")) as r:
            return (await r.json())["deliveries"]["delivered"]
    while await delivered() < n and time.perf_counter() - started < 120:
        await asyncio.sleep(0.05)
    return time.perf_counter() - started, n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data, \
            private_system("bench-webhooks", Path(data) / "system", SOP_WEBHOOK_ALLOW_PRIVATE="1") as system:
        receiver = LoggedReceiver(Path(data))
        try:
            figures = asyncio.run(measure(system.url("intake"), receiver, args.steps, args.rate))
        finally:
            receiver.stop()
    fields = {"payload": json.dumps({"type": "StepCompleted", "data": "x" * 600})}
    raw = baselines.raw_redis(REDIS_URL, f"bench-webhooks-raw-{time.time_ns()}", fields, n=2000, hops=1000)
    figures["raw_redis_hop"] = raw["hop_latency"]
    figures["raw_redis_read_ack_per_s"] = round(raw["read_ack_per_s"])
    d, h = figures["delay_2xx_to_delivery"], figures["raw_redis_hop"]
    print(f"steps sent at {args.rate:g}/s: {figures['steps_sent']}, answered 2xx: {figures['steps_2xx']}, "
          f"delivered: {figures['delivered']} ({figures['delivered_per_s_at_offered_rate']}/s)")
    print(f"2xx -> webhook delivered: p50 {d['p50_ms']} ms, p99 {d['p99_ms']} ms, max {d['max_ms']} ms "
          f"({figures['delivered_before_2xx']} arrived before their 2xx: counted as 0)")
    for name in ("delay_send_to_delivery", "command_latency"):
        f = figures[name]
        print(f"{name.replace('_', ' ')}: p50 {f['p50_ms']} ms, p99 {f['p99_ms']} ms")
    print(f"raw Redis hop (XADD -> XREADGROUP -> XACK): p50 {h['p50_ms']} ms, p99 {h['p99_ms']} ms")
    b = figures["redelivery_burst"]
    print(f"dispatcher top rate (redeliver all at once): {b['deliveries']} in {b['seconds']} s = {b['per_s']}/s")
    out = ROOT / "bench-results" / "bench_webhooks.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
