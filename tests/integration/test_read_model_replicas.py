"""Two processes' read models on one store (replicas of a service: the PostgreSQL schema or the SQLite
file they share), folding their parts of the streams at once, end as one that folded everything: each event
once, the feed numbered without a gap in the order its events were committed, reads never half a batch."""
from __future__ import annotations

import threading

import pytest

from services.intake.views.store import ViewStore
from tests.places import new_place
from tests.unit.test_projection_folds import a_case

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("each_database")]


def test_two_replicas_folding_at_once_end_as_one_that_folded_everything(tmp_path):
    cases = [a_case(1 + n, 1000 + 20 * n) for n in range(40)]
    messages = [m for _, ms in cases for m in ms]
    # A case's registration on one replica while its routing events are on the other: each must see what
    # the other committed (an event that waits for its registration is let in by it, never left waiting).
    halves = [[m for m in messages if m.source == "intake"], [m for m in messages if m.source != "intake"]]
    place = new_place()
    place = tmp_path / "views.db" if place == ":memory:" else place  # one store, two openings
    replicas, reader = [ViewStore(place), ViewStore(place)], ViewStore(place)  # and a third that only reads
    errors: list[BaseException] = []

    def fold(store: ViewStore, part: list, size: int) -> None:
        try:  # both replicas at one case at a time: a registration and its case's events in one instant
            for start in range(0, len(part), size):
                assert store.apply_batch(part[start:start + size] + part[max(0, start - 1):start]) == {}
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)

    sizes = [1, len(halves[1]) // len(cases)]  # a read a case each: its registration, and all its routing events
    threads = [threading.Thread(target=fold, args=three) for three in zip(replicas, halves, sizes)]
    for t in threads:
        t.start()
    seen = [len(reader.register()) for _ in iter(lambda: any(t.is_alive() for t in threads), False)]
    for t in threads:
        t.join()
    assert not errors, errors
    alone = ViewStore(new_place())
    assert alone.apply_batch(messages) == {}
    assert replicas[0].snapshot() == alone.snapshot()  # the feed's events compared, not their numbers
    seqs = [r[0] for r in replicas[1].db.execute("SELECT seq FROM feed ORDER BY seq")]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))) and len(seqs) == len(alone.snapshot()["feed"])
    assert seen == sorted(seen) and len(seen) > 1, "a reader saw rows appear and go"


def test_a_second_writer_waits_for_the_first_and_then_reads_what_it_wrote(tmp_path):
    """What the folds rely on, on both databases: a write transaction begins only once the other has ended."""
    from shared.sql.place import open_db

    place = new_place()
    place = tmp_path / "one.db" if place == ":memory:" else place
    first, second = open_db(place), open_db(place)
    first.script("CREATE TABLE IF NOT EXISTS marks (n INTEGER PRIMARY KEY);")
    inside, found = threading.Event(), []

    def later_writer() -> None:
        inside.wait()
        with second.transaction():
            found.append([r[0] for r in second.execute("SELECT n FROM marks ORDER BY n")])
            second.execute("INSERT INTO marks VALUES (?)", (2,))

    other = threading.Thread(target=later_writer)
    other.start()
    with first.transaction():
        first.execute("INSERT INTO marks VALUES (?)", (1,))
        inside.set()
        other.join(0.5)
        assert other.is_alive() and found == [], "the second writer began inside the first's transaction"
    other.join(5)
    assert found == [[1]] and [r[0] for r in first.execute("SELECT n FROM marks ORDER BY n")] == [1, 2]

