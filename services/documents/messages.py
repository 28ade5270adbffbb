"""What documents publishes: each document revision issued, and each letter number given."""
from __future__ import annotations

from typing import Any

from services.documents.domain import CaseFile
from services.documents.numbering import LetterBook
from shared.contracts import EventMessage, stable_event_id
from shared.events import DocumentIssued, IssuedData, LetterNumbered, NumberedData

ISSUED_FIELDS = ("kind", "title", "revision", "number", "sha256", "size", "template", "template_version",
                 "source_event_id")


def to_message(domain_event: Any, position: int) -> EventMessage | None:
    if isinstance(domain_event, LetterBook.LetterNumbered):
        return numbered_message(domain_event, position)
    if isinstance(domain_event, CaseFile.DocumentIssued):
        return issued_message(domain_event, position)
    return None  # facts came from routing; files, books and indexes are bookkeeping


def issued_message(e: Any, position: int) -> EventMessage:
    """A document revision: in the case's audit trail with its digest, so a later copy can be checked."""
    return DocumentIssued(
        event_id=stable_event_id("documents", e.originator_id, e.originator_version),
        source="documents", position=position, case_id=e.case_id, sop_id=e.sop_id, sop_version=e.sop_version,
        step=e.step, note=f"{e.title} revisi {e.revision}" + (f" ({e.number})" if e.number else ""),
        occurred_at=e.issued_at, recorded_at=e.timestamp, data=IssuedData(**{k: getattr(e, k) for k in ISSUED_FIELDS}),
    )


def numbered_message(e: Any, position: int) -> EventMessage:
    """The reply letter got its number when it was signed."""
    return LetterNumbered(
        event_id=stable_event_id("documents", e.originator_id, e.originator_version),
        source="documents", position=position, case_id=e.case_id, sop_id=e.sop_id, sop_version=e.sop_version,
        note=e.number, occurred_at=e.signed_at, recorded_at=e.timestamp,
        data=NumberedData(number=e.number, sequence=e.sequence),
    )
