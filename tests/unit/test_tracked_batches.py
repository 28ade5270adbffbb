"""A read model applies a whole read in one transaction: each event once, and a fold that raises takes
back only its own effect and mark, so the rest of the batch is kept and the failed one can come again."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from shared.contracts import EventMessage
from shared.projections.tracked import TrackedStore
from tests.places import new_place

pytestmark = pytest.mark.usefixtures("each_database")

AT = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)


class Notes(TrackedStore):
    schema = "CREATE TABLE IF NOT EXISTS notes (position INTEGER PRIMARY KEY, note TEXT);"

    def fold(self, m: EventMessage) -> None:
        self.db.execute("INSERT INTO notes VALUES (?, ?)", (m.position, m.note))
        if m.note == "poison":
            raise ValueError("cannot fold this one")


def note(position: int, text: str) -> EventMessage:
    return EventMessage(event_id=f"e{position}", type="Noted", source="routing", position=position, case_id="c",
                        sop_id="sop-a", sop_version=1, note=text, occurred_at=AT, recorded_at=AT)


def rows(store: Notes) -> list[tuple]:
    return [tuple(r) for r in store.db.execute("SELECT * FROM notes ORDER BY position")]


def test_a_batch_applies_each_event_once_and_keeps_all_but_the_one_that_failed():
    store = Notes(new_place())
    failed = store.apply_batch([note(1, "a"), note(2, "poison"), note(3, "c"), note(1, "a")])
    assert list(failed) == [1] and "cannot fold" in failed[1]
    assert rows(store) == [(1, "a"), (3, "c")]
    assert store.heads() == {"routing": 3}
    assert store.apply_batch([note(2, "b"), note(3, "c")]) == {}  # the failed one again, fixed; 3 is not redone
    assert rows(store) == [(1, "a"), (2, "b"), (3, "c")]


def test_a_batch_and_one_by_one_give_the_same_rows():
    messages = [note(n, f"n{n}") for n in range(1, 50)]
    one_by_one, batched = Notes(new_place()), Notes(new_place())
    for m in messages:
        one_by_one.apply(m)
    batched.apply_batch(messages)
    assert rows(one_by_one) == rows(batched)
