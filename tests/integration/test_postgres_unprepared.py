"""Two writers on one PostgreSQL store meeting on a tracking record: the second hears IntegrityError (its
event was applied) and its connection carries on, on connections that prepare nothing (shared/postgres_factory.py).
This does not reproduce the lost prepared statement by itself (it needs the timing of two live replicas:
tests/e2e/test_replicas.py met it about one run in four); it holds the setting and the dedup path."""
from __future__ import annotations

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import EventSourcedProjection

from shared.eventstore import store_env
from shared.settings import Settings
from tests.support import own_schemas

pytestmark = pytest.mark.integration


class Thing(Aggregate):
    def __init__(self, n: int):
        self.n = n


class Things(EventSourcedProjection):
    def policy(self, domain_event, processing_event):
        processing_event.collect_events(Thing(domain_event))


def test_a_second_writer_of_the_same_position_hears_integrity_error_and_carries_on():
    with own_schemas("postgres", "unprepared") as stores:
        env = store_env(Settings(persistence="postgres", postgres_schema_prefix=stores["SOP_POSTGRES_SCHEMA_PREFIX"]),
                        "things")
        first, second = Things(env=env), Things(env=env)
        try:
            assert first.factory.datastore.pool.kwargs["prepare_threshold"] is None
            for n in range(1, 21):
                first.process_event(n, Tracking("upstream", n))
                with pytest.raises(IntegrityError):
                    second.process_event(n, Tracking("upstream", n))
                second.process_event(1000 + n, Tracking("elsewhere", n))  # the same connection, still sound
            assert second.recorder.max_tracking_id("elsewhere") == 20
            assert first.recorder.max_tracking_id("upstream") == 20
        finally:
            first.close()
            second.close()
