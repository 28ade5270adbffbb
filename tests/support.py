"""A private copy of the whole system for tests and benchmarks: its own Redis prefix, data folder and
free ports, cleaned up after."""
from __future__ import annotations

import contextlib
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import redis as sync_redis

from system.launcher import SERVICES, System, prepare

REDIS_URL = "redis://127.0.0.1:6379/0"
# Tests and benchmarks drive the API far faster than a portal would, all from 127.0.0.1: the rate
# limits' own tests set theirs (tests/e2e/test_rate_limits.py).
NO_RATE_LIMITS = {f"SOP_RATE_LIMIT_{k}": "1000000" for k in ("PER_S", "BURST", "PUBLIC_PER_MIN", "PUBLIC_BURST",
                                                             "ANONYMOUS_PER_MIN", "ANONYMOUS_BURST")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def delete_keys(prefix: str) -> int:
    client = sync_redis.Redis.from_url(REDIS_URL)
    # The keys beside a stream are tagged `{stream}:…` for Redis Cluster (shared/messaging/keys.py).
    keys = [k for pattern in (f"{prefix}*", f"{{{prefix}*") for k in client.scan_iter(match=pattern, count=1000)]
    if keys:
        client.delete(*keys)
    client.close()
    return len(keys)


@contextlib.contextmanager
def private_system(name: str, data_dir: Path, services: list[str] | None = None, timeout_s: float = 30,
                   **env: str) -> Iterator[System]:
    """Starts the services (all four by default) with `env` on top of quick test settings."""
    prefix = f"{name}-{uuid.uuid4().hex[:8]}"
    overrides = {"SOP_REDIS_URL": REDIS_URL, "SOP_STREAM_PREFIX": prefix, "SOP_QUIET": "1",
                 "SOP_DATA_DIR": str(data_dir), "SOP_SLA_TICK_SECONDS": "1",
                 "SOP_MAX_UPLOAD_BYTES": "200000"}
    overrides |= NO_RATE_LIMITS
    overrides |= {f"SOP_{attr.upper()}": str(free_port()) for attr in SERVICES.values()} | env
    running = prepare(overrides)
    try:
        running.start(timeout_s=timeout_s, services=services)
        yield running
    finally:
        running.stop()
        delete_keys(prefix)


@contextlib.contextmanager
def own_schemas(persistence: str, name: str = "stores") -> Iterator[dict[str, str]]:
    """The settings of the stores; on PostgreSQL, schemas of this test's own, dropped afterwards."""
    if persistence == "sqlite":
        yield {"SOP_PERSISTENCE": "sqlite"}
        return
    prefix = f"test_{name}_{uuid.uuid4().hex[:8]}"
    import psycopg

    try:
        yield {"SOP_PERSISTENCE": "postgres", "SOP_POSTGRES_SCHEMA_PREFIX": prefix}
    finally:
        with psycopg.connect(host="127.0.0.1", user="postgres", dbname="test", autocommit=True) as conn:
            for (schema,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                                          (f"{prefix}_%",)).fetchall():
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
