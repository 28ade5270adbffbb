"""The chain's head, published where the service cannot rewrite it: an entry in `<prefix>.chain-heads`
whenever the head moves, and two gauges per service that Prometheus keeps with their history.

Whoever rewrites a whole chain consistently (every event and every link recomputed) makes `sop verify`
pass, but not the heads already out: the entry of a past instant names a position and its link hash, and
the rewritten chain holds another hash at that position (`sop verify --json` and the export show it).
The gauges carry the same fact without a label per hash: the head's position, and the first 48 bits of its
hash as a number (exact in a float64), one series per service however many events follow.
Not signed: the copies outside the store (Redis, Prometheus' storage, the register book) are the witnesses.
"""
from __future__ import annotations

import asyncio
import contextlib
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from prometheus_client import CollectorRegistry, Gauge
from redis.asyncio import Redis

from shared.chain.links import Link
from shared.chain.stores import ChainStore, open_store
from shared.settings import Settings

PREFIX_HEX = 12  # 48 bits: a float64 holds them exactly
KEEP = 100_000  # entries kept in Redis (at most one per service every 5 s): archive the stream to keep more


def chain_heads_stream(prefix: str) -> str:
    return f"{prefix}.chain-heads"


def head_prefix(link_hash: str) -> int:
    return int(link_hash[:PREFIX_HEX], 16)


class HeadPublisher:
    def __init__(self, service: str, settings: Settings, redis: Redis, registry: CollectorRegistry):
        self.service, self.settings, self.redis = service, settings, redis
        self.stream = chain_heads_stream(settings.stream_prefix)
        self.store: ChainStore | None = None
        self.published: Link | None = None
        # One thread of its own: a sqlite3 connection may only be used by the thread that opened it, and the
        # loop's default executor hands each call to whichever of its threads is idle (in documents, renders'
        # submits keep several busy, so a head read landed on another thread and failed every round).
        self.reader = ThreadPoolExecutor(1, thread_name_prefix=f"{service}-chain-head")
        self.length = Gauge("sop_event_chain_length", "Events linked in the service's hash chain (the head's "
                            "position)", ["service"], registry=registry)
        self.prefix = Gauge("sop_event_chain_head_prefix", "The first 48 bits of the chain head's hash, as a "
                            "number", ["service"], registry=registry)

    async def publish(self) -> Link | None:
        head = await asyncio.get_running_loop().run_in_executor(self.reader, self._head)
        if head is None or head == self.published:
            return head
        await self.redis.xadd(self.stream, {"service": self.service, "position": head.notification_id,
                                            "link_hash": head.link_hash,
                                            "at": datetime.now(timezone.utc).isoformat()},
                              maxlen=KEEP, approximate=True)
        self.length.labels(self.service).set(head.notification_id)
        self.prefix.labels(self.service).set(head_prefix(head.link_hash))
        self.published = head
        return head

    def _head(self) -> Link | None:
        if not self.settings.event_chain:
            return None  # nothing is linked: a chain table left from before stays where it stopped
        if self.store is None:
            self.store = open_store(self.settings, self.service)  # None in memory, or before the first start
        if self.store is None or not self.store.chained():
            return None
        try:
            return self.store.head()
        except Exception:  # a connection gone bad: the next round opens a new one
            self._drop()
            raise

    def _drop(self) -> None:
        store, self.store = self.store, None
        with contextlib.suppress(Exception):
            if store is not None:
                store.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.reader.submit(self._drop).result(timeout=5)
        self.reader.shutdown(wait=False)
