"""The walk of `sop verify` over rows a tamperer left, including the ones that rewrote links as well:
an event added with a forged link, an event deleted with its link, a link edited."""
from __future__ import annotations

from dataclasses import replace

from shared.chain.links import GENESIS, Link, chain, link_hash
from shared.chain.stores import StoredRow
from shared.chain.verify import verify

ORIGINATOR = "7d73166a-3bb4-499b-a316-6265020a8bf5"


class ListStore:
    service, where = "routing", "memory"

    def __init__(self, events: list[StoredRow], links: list[Link]):
        self.rows, self.chain = events, links

    def chained(self) -> bool:
        return True

    def events(self, after: int, limit: int) -> list[StoredRow]:
        return [e for e in self.rows if e.notification_id > after][:limit]

    def links(self, after: int, limit: int) -> list[Link]:
        return [k for k in self.chain if k.notification_id > after][:limit]

    def position_of(self, event_hash: str) -> int | None:
        return next((k.notification_id for k in self.chain if k.event_hash == event_hash), None)


def log(n: int = 6) -> tuple[list[StoredRow], list[Link]]:
    events = [StoredRow(i, ORIGINATOR, i, "m:Case.StepCompleted", f'{{"step": {i}}}'.encode()) for i in range(1, n + 1)]
    return events, chain(GENESIS, [(e.notification_id, e.originator_id, e.version, e.topic, e.state) for e in events])


def test_an_intact_log_has_its_last_link_as_head():
    events, links = log()
    verdict = verify(ListStore(events, links))
    assert verdict.intact and (verdict.count, verdict.head_hash) == (6, links[-1].link_hash)


def test_an_event_slipped_in_with_a_forged_link_is_named_inserted():
    events, links = log()
    forged = StoredRow(4, ORIGINATOR, 99, "m:Case.StepCompleted", b'{"step": 99}')
    renumbered = [e if e.notification_id < 4 else replace(e, notification_id=e.notification_id + 1) for e in events]
    new = chain(links[2].link_hash, [(4, forged.originator_id, forged.version, forged.topic, forged.state)])[0]
    moved = [k if k.notification_id < 4 else replace(k, notification_id=k.notification_id + 1) for k in links]
    verdict = verify(ListStore(sorted(renumbered + [forged], key=lambda e: e.notification_id),
                               sorted(moved + [new], key=lambda k: k.notification_id)))
    assert (verdict.broken.position, verdict.broken.kind) == (4, "inserted")


def test_an_event_deleted_with_its_link_is_named_deleted_at_the_next_one():
    events, links = log()
    verdict = verify(ListStore([e for e in events if e.notification_id != 3], [k for k in links if k.notification_id != 3]))
    assert (verdict.broken.position, verdict.broken.kind, verdict.count) == (4, "deleted", 2)


def test_a_link_edited_in_place_is_named_edited():
    events, links = log()
    links[1] = replace(links[1], link_hash=link_hash(GENESIS, 99, links[1].event_hash))
    verdict = verify(ListStore(events, links))
    assert (verdict.broken.position, verdict.broken.kind) == (2, "edited")
