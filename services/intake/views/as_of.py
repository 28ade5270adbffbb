"""The register row and the audit trail of one case as they stood at an instant, folded from events.

The events every service recorded of the case by then (each read from its own log) go through the live
read model's own fold into a fresh in-memory ViewStore: the same code, so an answer `as_of` now is the
live answer, and nothing stored by the read models is read. Each source in its own log's order, as its
follower applies it.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from services.intake.views.store import ViewStore
from shared.contracts import EventMessage


def folded(case_id: str, events: Iterable[EventMessage], as_of: datetime) -> ViewStore:
    """A ViewStore holding exactly the case's events recorded by `as_of`."""
    store = ViewStore(":memory:")
    kept = sorted((m for m in events if m.case_id == case_id and m.recorded_at <= as_of),
                  key=lambda m: (m.source, m.position))
    failed = store.apply_batch(kept)
    if failed:
        raise ValueError(f"events of case {case_id} do not fold: {failed}")
    return store


def registered(store: ViewStore, case_id: str) -> dict | None:
    """The case's register row, once its submission was recorded; None before the case existed."""
    row = store.case(case_id)
    return row if row is not None and row["register_number"] else None
