"""Fixtures shared by the suites: a private Redis key space on the real server, cleaned up after."""
from __future__ import annotations

import uuid

import pytest
import redis as sync_redis

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def prefix() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def clean_redis(prefix: str):
    """Yields the URL; deletes every key under this test's prefix afterwards."""
    client = sync_redis.Redis.from_url(REDIS_URL)
    yield REDIS_URL
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()
