"""A following process killed with SIGKILL mid-stream: the next one reads on, each event applied once."""
from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time

import pytest
from redis.asyncio import Redis

from services.intake.views.store import ViewStore
from shared.contracts import event_stream
from tests.integration.test_messaging import follower, following, positions, publish, until

pytestmark = pytest.mark.integration


async def test_a_killed_follower_is_taken_over_and_each_event_applied_exactly_once(clean_redis, prefix, tmp_path):
    redis = Redis.from_url(clean_redis)
    await publish(redis, event_stream(prefix, "routing"), 500)
    db = str(tmp_path / "views.db")
    doomed = subprocess.Popen([sys.executable, "-m", "tests.integration.slow_consumer", clean_redis, prefix, db])
    store = ViewStore(db)
    deadline = time.monotonic() + 30
    while len(positions(store)) < 100:  # let it get part of the way
        assert time.monotonic() < deadline and doomed.poll() is None
        await asyncio.sleep(0.02)
    doomed.send_signal(signal.SIGKILL)
    doomed.wait()
    done_before = len(positions(store))
    assert 100 <= done_before < 500

    survivor = follower(redis, prefix, store)
    broker = await following(clean_redis, survivor)
    await until(lambda: len(positions(store)) == 500)
    assert positions(store) == list(range(1, 501))  # every position, exactly once, in order
    assert survivor.applied == 500 - done_before  # the rest were applied by the survivor
    await broker.stop()
    await redis.aclose()
