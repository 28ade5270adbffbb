"""A service's own events of one aggregate, read back for `as_of` (shared/history.py), on every store:
the same messages, positions and all, that its relay publishes from the notification log; and the
aggregate folded up to an instant is the one that stood then."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID, uuid4

import psycopg
import pytest

from services.intake.application import Intake
from services.routing.application import Routing
from services.routing.messages import message_mapper
from shared.clock import FixedClock
from shared.eventstore import store_env
from shared.history import aggregate_at, published, version_at
from shared.settings import Settings
from tests.integration.test_applications import FORM, LIBRARY, NOW, PORTAL, SOP_C_WALK, command, submitted_message

pytestmark = pytest.mark.integration


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def settings(request, tmp_path) -> Iterator[Settings]:
    settings = Settings(persistence=request.param, data_dir=tmp_path,
                        postgres_schema_prefix=f"test_history_{uuid4().hex[:12]}")
    yield settings
    if request.param == "postgres":
        with psycopg.connect(host=settings.postgres_host, port=settings.postgres_port, user=settings.postgres_user,
                             dbname=settings.postgres_dbname, autocommit=True) as conn:
            for service in ("intake", "routing"):
                conn.execute(f'DROP SCHEMA IF EXISTS "{settings.postgres_schema_prefix}_{service}" CASCADE')


def walked(settings: Settings) -> tuple[Intake, Routing, list[str]]:
    """Two SOP C cases, their steps interleaved, so one case's positions are not a run of the log."""
    clock = FixedClock(NOW)
    intake = Intake(LIBRARY, clock, env=store_env(settings, "intake"))
    routing = Routing(LIBRARY, clock, env=store_env(settings, "routing"))
    cases = []
    for _ in range(2):
        submitted = submitted_message(intake, intake.submit("sop-c", FORM, PORTAL))
        routing.handle_message(submitted)
        cases.append(submitted.case_id)
    for step, decision, role, extra in SOP_C_WALK[:5]:
        for case_id in cases:
            clock.advance(timedelta(minutes=30))
            routing.complete_step(command(case_id, step, decision, role, **extra))
    return intake, routing, cases


def test_a_case_read_back_is_what_the_relay_publishes_with_the_same_positions(settings):
    intake, routing, cases = walked(settings)
    to_message = message_mapper(LIBRARY)
    notified = [to_message(routing.mapper.to_domain_event(n), n.id)
                for n in routing.recorder.select_notifications(start=1, limit=1000)]
    try:
        for case_id in cases:
            read = [m for _, m in published(routing, UUID(case_id), to_message)]
            assert read == [m for m in notified if m.case_id == case_id] and len(read) == 2 + 5
    finally:
        intake.close()
        routing.close()


def test_the_aggregate_folded_up_to_an_instant_is_the_one_that_stood_then(settings):
    intake, routing, cases = walked(settings)
    case_id = UUID(cases[0])
    try:
        events = list(routing.recorder.select_events(case_id))
        third = routing.mapper.to_domain_event(events[2])
        assert version_at(routing, case_id, third.timestamp) == 3
        then = aggregate_at(routing, case_id, third.timestamp)
        assert then.version == 3 and then.current_step == third.next_step
        assert aggregate_at(routing, case_id, routing.mapper.to_domain_event(events[0]).timestamp
                            - timedelta(microseconds=1)) is None
        assert routing.get_case(case_id).version == len(events)  # the live one is untouched
    finally:
        intake.close()
        routing.close()
