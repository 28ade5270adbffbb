"""One link of the chain, pure: what an inspector recomputes from an export with a few lines of any language.

event_hash = SHA-256(originator_id "\n" version "\n" topic "\n" state bytes)   (the event, where it sits aside)
link_hash  = SHA-256(prev_hash "\n" notification_id "\n" event_hash)             (the event at its position)

Every field but the state is free of newlines and the state comes last, so the joins are unambiguous.
The event hash alone lets `sop verify` tell an event moved elsewhere (reordered) from one changed (edited).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID

GENESIS = "0" * 64  # the prev_hash of a service's first event


@dataclass(frozen=True)
class Link:
    notification_id: int
    event_hash: str
    prev_hash: str
    link_hash: str


def chain_table_of(events_table: str) -> str:
    return f"{events_table}_chain"


def originator_text(originator_id: UUID | str) -> str:
    """A UUID in its usual form, however the store keeps it (SQLite keeps the hex alone)."""
    if isinstance(originator_id, UUID):
        return str(originator_id)
    try:
        return str(UUID(originator_id))
    except ValueError:
        return originator_id


def event_hash(originator_id: UUID | str, version: int, topic: str, state: bytes) -> str:
    head = f"{originator_text(originator_id)}\n{version}\n{topic}\n".encode()
    return hashlib.sha256(head + bytes(state)).hexdigest()


def link_hash(prev_hash: str, notification_id: int, of_event: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{notification_id}\n{of_event}".encode()).hexdigest()


def chain(prev_hash: str, events: list[tuple[int, UUID | str, int, str, bytes]]) -> list[Link]:
    """Links for events given as (notification id, originator id, version, topic, state), in order."""
    links = []
    for nid, originator_id, version, topic, state in events:
        e = event_hash(originator_id, version, topic, state)
        links.append(Link(nid, e, prev_hash, prev_hash := link_hash(prev_hash, nid, e)))
    return links
