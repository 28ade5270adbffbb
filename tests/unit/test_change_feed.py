"""The change feed as intake's views fold it: every event of a registered case numbered once, events that
came before their case's registration let in after it, and a page resumed from any cursor the same as the
rest of the whole feed."""
from __future__ import annotations

import random
from uuid import uuid4

import pytest

from services.intake.views.feed import feed_page
from services.intake.views.paging import CaseFilter
from services.intake.views.store import ViewStore
from tests.unit.test_projection_folds import request_submitted, routing_messages
from tests.places import new_place

pytestmark = pytest.mark.usefixtures("each_database")


def whole_feed(store: ViewStore, rows: CaseFilter, limit: int, after: int = 0) -> list[tuple[int, str]]:
    seen = []
    while True:
        found, resume = feed_page(store.db, rows, after, limit)
        seen += [(r["seq"], r["event_id"]) for r in found]
        if not found:
            return seen
        assert resume > after
        after = resume


def two_cases_interleaved(seed: int) -> tuple[ViewStore, dict[str, list]]:
    """Two cases whose routing events arrive before, between and after their registrations."""
    store = ViewStore(new_place())
    cases = {}
    for n in (1, 2):
        case_id = str(uuid4())
        cases[case_id] = [request_submitted(case_id, n, f"000{n}/REG/BAPPEDA/2026")] + routing_messages(case_id, 10 * n, stride=3)
    by_stream = {"intake": [ms[0] for ms in cases.values()],
                 "routing": sorted((m for ms in cases.values() for m in ms[1:]), key=lambda m: m.position)}
    rng = random.Random(seed)
    while any(by_stream.values()):  # each stream in its order, the two streams interleaved at random
        source = rng.choice([s for s, ms in by_stream.items() if ms])
        take = rng.randint(1, 3)
        store.apply_batch(by_stream[source][:take])
        by_stream[source] = by_stream[source][take:]
    return store, cases


def test_every_event_of_a_registered_case_enters_the_feed_once_in_its_streams_order():
    for seed in range(20):
        store, cases = two_cases_interleaved(seed)
        feed = whole_feed(store, CaseFilter(), limit=500)
        assert sorted(e for _, e in feed) == sorted(m.event_id for ms in cases.values() for m in ms)
        for case_id, messages in cases.items():
            ids = [e for _, e in feed if e in {m.event_id for m in messages}]
            assert ids[0] == messages[0].event_id, "a case's events follow its registration"
            assert ids[1:] == [m.event_id for m in messages[1:]], "routing's events in routing's order"
        assert store.db.execute("SELECT COUNT(*) FROM feed_waiting").fetchone()[0] == 0


def test_the_feed_resumed_from_any_cursor_is_the_rest_of_the_feed_from_the_start():
    store, _ = two_cases_interleaved(7)
    everything = whole_feed(store, CaseFilter(), limit=500)
    for limit in (1, 2, 5):
        assert whole_feed(store, CaseFilter(), limit) == everything
    for seq, _ in everything:
        assert whole_feed(store, CaseFilter(), 3, after=seq) == [e for e in everything if e[0] > seq]


def test_a_credential_sees_only_its_cases_and_its_cursor_moves_past_the_others():
    store, cases = two_cases_interleaved(3)
    assert whole_feed(store, CaseFilter(owner="someone-else"), 10) == []
    found, resume = feed_page(store.db, CaseFilter(owner="someone-else"), 0, 10)
    assert found == [] and resume == store.db.execute("SELECT MAX(seq) FROM feed").fetchone()[0]
    portal = whole_feed(store, CaseFilter(owner="portal"), 4)
    assert len(portal) == sum(len(ms) for ms in cases.values())
    assert whole_feed(store, CaseFilter(sops=frozenset({"sop-a"})), 4) == []


def test_an_event_applied_twice_is_numbered_once():
    store, cases = two_cases_interleaved(1)
    before = whole_feed(store, CaseFilter(), 500)
    for messages in cases.values():
        store.apply_batch(messages)
    assert whole_feed(store, CaseFilter(), 500) == before


def test_a_batch_numbers_the_feed_as_its_events_one_at_a_time_would():
    """A batch reads registrations from its rows in memory: the numbers must still follow the application order."""
    cases = {}
    for n in (1, 2):
        case_id = str(uuid4())
        cases[case_id] = [request_submitted(case_id, n, f"000{n}/REG/BAPPEDA/2026")] + routing_messages(case_id, 10 * n, stride=3)
    (first, *first_routing), (second, *second_routing) = cases.values()
    log = [*first_routing[:3], second, *second_routing[:2], first, *first_routing[3:], *second_routing[2:]]
    one_at_a_time, batched = ViewStore(new_place()), ViewStore(new_place())
    for m in log:
        one_at_a_time.apply(m)
    assert batched.apply_batch(log) == {}
    numbered = "SELECT seq, source, position FROM feed ORDER BY seq"
    assert batched.db.tuples(numbered) == one_at_a_time.db.tuples(numbered)
    assert len(batched.db.tuples(numbered)) == len(log)
