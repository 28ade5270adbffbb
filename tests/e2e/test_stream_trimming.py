"""The running services keep Redis bounded: streams shrink once every reader applied them, and the
read models still hold every case."""
from __future__ import annotations

import time

import httpx
import redis as sync_redis

from shared.contracts import command_stream, event_stream
from system.demo import every_item, run_scenario, scenarios
from tests.support import REDIS_URL, private_system


def test_streams_are_trimmed_behind_their_readers_and_nothing_is_lost(tmp_path):
    sop_b = next(s for s in scenarios() if s.sop_id == "sop-b")
    with private_system("test-trim", tmp_path, timeout_s=90, SOP_STREAM_RETAIN_S="0") as system, \
            httpx.Client(base_url=system.url("intake"), timeout=15) as api:
        prefix = system.env["SOP_STREAM_PREFIX"]
        cases = {run_scenario(api, sop_b, 500 + n) for n in range(25)}
        r = sync_redis.Redis.from_url(REDIS_URL)
        routing, commands = event_stream(prefix, "routing"), command_stream(prefix)
        published = int(r.get(f"{{{routing}}}:relay-position") or 0)
        deadline = time.monotonic() + 40
        while r.xlen(routing) >= 100 and time.monotonic() < deadline:  # approximate trimming: whole nodes of 100
            time.sleep(0.5)
        assert r.xlen(routing) < 100 < published, (r.xlen(routing), published)
        assert r.xlen(commands) < 100  # 25 cases × their step commands, acknowledged
        metrics = httpx.get(f"{system.url('routing')}/metrics").text
        assert f'sop_stream_trimmed_entries_total{{stream="{routing}"}}' in metrics
        register = {row["case_id"] for row in every_item(api, "/register", "sekretaris")}
        assert cases <= register  # every case made it into the read model before its events went
        r.close()
