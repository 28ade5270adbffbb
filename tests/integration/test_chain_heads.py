"""The heads leave the store: an entry in `<prefix>.chain-heads` when the head moves, and two gauges; a
rewrite of the whole chain that `sop verify` cannot see is caught by comparing with a published head."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from prometheus_client import CollectorRegistry

from shared.chain.heads import HeadPublisher, chain_heads_stream, head_prefix
from shared.chain.links import chain
from shared.chain.stores import open_store, pages
from shared.chain.verify import verify
from shared.runtime import connect_redis
from tests.integration.chain_support import fill, raw


def test_heads_are_published_when_they_move_and_betray_a_consistent_rewrite(store_settings, prefix):
    settings = store_settings.model_copy(update={"stream_prefix": prefix})
    fill(settings, notes=2)

    async def run():
        redis, registry = connect_redis("redis://127.0.0.1:6379/0"), CollectorRegistry()
        publisher = HeadPublisher("intake", settings, redis, registry)
        try:
            first = await publisher.publish()
            await publisher.publish()  # unchanged: no second entry
            fill(settings, notes=1)
            second = await publisher.publish()
            entries = await redis.xrange(chain_heads_stream(prefix))
            return first, second, entries, registry
        finally:
            publisher.close()
            await redis.delete(chain_heads_stream(prefix))
            await redis.aclose()

    first, second, entries, registry = asyncio.run(run())
    assert [(int(f[b"position"]), f[b"link_hash"].decode()) for _, f in entries] == \
        [(4, first.link_hash), (6, second.link_hash)]
    assert registry.get_sample_value("sop_event_chain_length", {"service": "intake"}) == 6
    assert registry.get_sample_value("sop_event_chain_head_prefix", {"service": "intake"}) == head_prefix(second.link_hash)

    rewrite_everything(settings, position=2)
    store = open_store(settings, "intake")
    assert verify(store).intact  # the rewrite is consistent: the store alone cannot tell
    at_four = next(k for k in pages(store.links) if k.notification_id == 4)
    store.close()
    assert at_four.link_hash != first.link_hash  # the published head of that time can


def rewrite_everything(settings, position: int) -> None:
    """Edit one event and recompute every link after it, as someone with write access and this code could."""
    with raw(settings) as (conn, table, nid, p):
        conn.execute(f"UPDATE {table} SET state = {p} WHERE {nid} = {p}", (b'{"text":"ditulis ulang"}', position))
        rows = conn.execute(f"SELECT {nid}, originator_id, originator_version, topic, state FROM {table} ORDER BY {nid}").fetchall()
        chain_table = table.replace("stored_events", "stored_events_chain").replace("intake_events", "intake_events_chain")
        conn.execute(f"DELETE FROM {chain_table}")
        for k in chain("0" * 64, [(n, o, v, t, bytes(s)) for n, o, v, t, s in rows]):
            conn.execute(f"INSERT INTO {chain_table} VALUES ({p}, {p}, {p}, {p})",
                         (k.notification_id, k.event_hash, k.prev_hash, k.link_hash))


def test_the_head_is_read_on_one_thread_whoever_else_uses_the_loops_executor(store_settings, prefix):
    """A sqlite3 connection belongs to the thread that opened it: documents' renders kept the default
    executor's threads busy, a head read landed on another thread and failed silently every round."""
    settings = store_settings.model_copy(update={"stream_prefix": prefix})
    fill(settings, notes=1)

    async def run():
        redis = connect_redis("redis://127.0.0.1:6379/0")
        publisher = HeadPublisher("intake", settings, redis, CollectorRegistry())
        loop, first_threads = asyncio.get_running_loop(), ThreadPoolExecutor(1)  # kept alive: its thread too
        loop.set_default_executor(first_threads)
        try:
            first = await publisher.publish()
            loop.set_default_executor(ThreadPoolExecutor(1))  # another thread from now on, as under renders
            fill(settings, notes=1)
            return first, await publisher.publish()
        finally:
            publisher.close()
            await redis.delete(chain_heads_stream(prefix))
            await redis.aclose()

    first, second = asyncio.run(run())
    assert second.notification_id > first.notification_id
