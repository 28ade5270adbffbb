"""The walk of one service's log against its chain, read-only: intact with its head and count, or the first
broken link, named by its position (the notification id) and what was done there."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from shared.chain.links import GENESIS, event_hash, link_hash
from shared.chain.stores import ChainStore, pages

Kind = Literal["edited", "deleted", "inserted", "reordered"]


@dataclass(frozen=True)
class Break:
    position: int
    kind: Kind
    detail: str


@dataclass(frozen=True)
class Verdict:
    service: str
    where: str
    chained: bool
    count: int = 0
    head_position: int = 0
    head_hash: str = GENESIS
    broken: Break | None = None

    @property
    def intact(self) -> bool:
        return self.chained and self.broken is None


def verify(store: ChainStore, progress=None) -> Verdict:
    if not store.chained():
        return Verdict(store.service, store.where, chained=False)
    events, links = pages(store.events), pages(store.links)
    ev, lk = next(events, None), next(links, None)
    head, before, position, count = GENESIS, GENESIS, 0, 0

    def broken(at: int, kind: Kind, detail: str) -> Verdict:
        return Verdict(store.service, store.where, True, count, position, head, Break(at, kind, detail))

    while ev is not None or lk is not None:
        if lk is None or (ev is not None and ev.notification_id < lk.notification_id):
            return broken(ev.notification_id, "inserted", "an event the chain has no link for")
        if ev is None or lk.notification_id < ev.notification_id:
            return broken(lk.notification_id, "deleted", "the chain links an event the store no longer holds")
        at = lk.notification_id
        if lk.prev_hash != head:
            if lk.prev_hash == before:
                return broken(position, "inserted", f"event and link added: position {at} chains onto the link before it")
            return broken(at, "deleted", f"the link before position {at} is missing (its prev_hash is no earlier link)")
        found = event_hash(ev.originator_id, ev.version, ev.topic, ev.state)
        if found != lk.event_hash:
            elsewhere = store.position_of(found)
            if elsewhere is not None and elsewhere != at:
                return broken(at, "reordered", f"holds the event chained at position {elsewhere}")
            return broken(at, "edited", "the stored event differs from the one chained here")
        if link_hash(head, at, lk.event_hash) != lk.link_hash:
            return broken(at, "edited", "the link itself was changed")
        before, head, position, count = head, lk.link_hash, at, count + 1
        if progress is not None and count % 1000 == 0:
            progress(count)
        ev, lk = next(events, None), next(links, None)
    return Verdict(store.service, store.where, True, count, position, head)
