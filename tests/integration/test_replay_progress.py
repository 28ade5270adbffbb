"""A rebuild says how far it has read, against what the streams held when it began."""
from __future__ import annotations

import pytest
from redis.asyncio import Redis

from services.intake.views.store import ViewStore
from shared.contracts import event_stream
from shared.replay import StreamSource, rebuild
from tests.integration.test_messaging import publish

pytestmark = pytest.mark.integration


async def test_rebuild_reports_progress_a_chunk_at_a_time(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    await publish(redis, event_stream(prefix, "routing"), 4500)  # three chunks of read_stream's 2000
    seen: list[tuple[int, int]] = []
    report = await rebuild(StreamSource(redis, prefix), ViewStore(":memory:"), ["intake", "routing"],
                           progress=lambda done, total: seen.append((done, total)))
    assert report.events == report.applied == 4500
    assert seen == [(0, 4500), (2000, 4500), (4000, 4500), (4500, 4500)]
    await redis.aclose()
