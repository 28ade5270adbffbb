"""A consumer process killed with SIGKILL mid-batch: another one takes its pending work, applied once."""
from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time

import pytest
from redis.asyncio import Redis

from services.intake.views.store import ViewStore
from shared.contracts import dead_letter_stream, event_stream
from shared.messaging.consumer import GroupConsumer
from tests.integration.test_messaging import publish

pytestmark = pytest.mark.integration


async def test_killed_consumer_pending_entries_are_reclaimed_and_applied_exactly_once(clean_redis, prefix, tmp_path):
    redis = Redis.from_url(clean_redis)
    stream = event_stream(prefix, "routing")
    await publish(redis, stream, 500)
    db = str(tmp_path / "views.db")
    doomed = subprocess.Popen([sys.executable, "-m", "tests.integration.slow_consumer", clean_redis, prefix, db])
    store = ViewStore(db)
    deadline = time.monotonic() + 30
    while len(store.snapshot()["audit"]) < 100:  # let it get part of the way
        assert time.monotonic() < deadline and doomed.poll() is None
        await asyncio.sleep(0.02)
    doomed.send_signal(signal.SIGKILL)
    doomed.wait()
    done_before = len(store.snapshot()["audit"])
    assert 100 <= done_before < 500
    assert (await redis.xpending(stream, "views"))["pending"] > 0  # its batch was left unacknowledged

    applied: list[bool] = []
    survivor = GroupConsumer(redis, [stream], "views", "survivor", lambda m: applied.append(store.apply(m)),
                             dead_letter_stream(prefix, "views"), reclaim_idle_ms=200)
    await asyncio.sleep(0.25)
    while await survivor.reclaim() or await survivor.read_once():
        pass
    audit = store.snapshot()["audit"]
    assert [row[2] for row in audit] == list(range(1, 501))  # every position, exactly once
    assert applied.count(True) == 500 - done_before  # the rest were applied by the survivor ...
    assert (await redis.xpending(stream, "views"))["pending"] == 0  # ... and nothing is left pending
    await redis.aclose()
