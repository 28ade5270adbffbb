"""The whole system as a new user runs it: four service processes on the real Redis."""
from __future__ import annotations

import socket
import uuid

import httpx
import pytest
import redis as sync_redis

from shared.launcher import SERVICES, prepare

REDIS_URL = "redis://127.0.0.1:6379/0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def system(tmp_path_factory):
    prefix = f"test-e2e-{uuid.uuid4().hex[:8]}"
    overrides = {"SOP_REDIS_URL": REDIS_URL, "SOP_STREAM_PREFIX": prefix, "SOP_QUIET": "1",
                 "SOP_DATA_DIR": str(tmp_path_factory.mktemp("data")), "SOP_RECLAIM_IDLE_MS": "2000",
                 "SOP_SLA_TICK_SECONDS": "1"}
    overrides |= {f"SOP_{attr.upper()}": str(free_port()) for attr in SERVICES.values()}
    running = prepare(overrides)
    running.start()
    yield running
    running.stop()
    client = sync_redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def api(system):
    with httpx.Client(base_url=system.url("intake"), timeout=15) as client:
        yield client
