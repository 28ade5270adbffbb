"""A case's documents as they stood at an instant, from this service's own log: the case file folded
from its events recorded by then (the revisions issued and rendered by then), and the published events
of the case (its file's and its letter number's) for the gateway's audit trail `as_of`."""
from __future__ import annotations

from datetime import datetime, timedelta

from services.documents.application import Documents
from services.documents.domain import CaseFile
from services.documents.messages import to_message
from services.documents.numbering import LetterBook, year_of
from shared.contracts import EventMessage
from shared.history import aggregate_at, published


def case_file_at(app: Documents, case_id: str, as_of: datetime) -> CaseFile | None:
    return aggregate_at(app, CaseFile.create_id(case_id), as_of)


def case_events(app: Documents, case_id: str) -> list[EventMessage]:
    """Every published event of the case in this log's order; the letter number from the year's book it
    was taken from (the year it was signed in: looked for in the years the case's revisions were issued)."""
    file_id = CaseFile.create_id(case_id)
    found = published(app, file_id, to_message)
    years = {year_of(m.occurred_at + delta) for _, m in found for delta in (timedelta(0), timedelta(days=1))}
    for year in sorted(years):
        found += [(v, m) for v, m in published(app, LetterBook.create_id(year), to_message) if m.case_id == case_id]
    return sorted((m for _, m in found), key=lambda m: m.position)
