"""What documents publishes: each document revision issued, its first rendering, and each letter number given."""
from __future__ import annotations

from typing import Any

from services.documents.domain import CaseFile
from services.documents.numbering import LetterBook
from shared.contracts import EventMessage, stable_event_id
from shared.events import DocumentIssued, DocumentRendered, IssuedData, LetterNumbered, NumberedData, RenderedData

ISSUED_FIELDS = ("kind", "title", "revision", "number", "template", "template_version", "data_digest",
                 "source_event_id", "status")
RENDERED_FIELDS = ("kind", "revision", "sha256", "size")
# The stored events `to_message` maps; every other one maps to None (a rebuild skips them undecoded).
PUBLISHED = (LetterBook.LetterNumbered, CaseFile.DocumentIssued, CaseFile.DocumentRendered)


def to_message(domain_event: Any, position: int) -> EventMessage | None:
    if isinstance(domain_event, LetterBook.LetterNumbered):
        return numbered_message(domain_event, position)
    if isinstance(domain_event, CaseFile.DocumentIssued):
        return issued_message(domain_event, position)
    if isinstance(domain_event, CaseFile.DocumentRendered):
        return rendered_message(domain_event, position)
    return None  # facts came from routing; files, books and indexes are bookkeeping


def _envelope(e: Any, position: int) -> dict[str, Any]:
    return {"event_id": stable_event_id("documents", e.originator_id, e.originator_version), "source": "documents",
            "position": position, "case_id": e.case_id, "sop_id": e.sop_id, "sop_version": e.sop_version,
            "recorded_at": e.timestamp}


def issued_message(e: Any, position: int) -> EventMessage:
    """A document revision: in the case's audit trail with the digest of its fields and its template."""
    return DocumentIssued(
        **_envelope(e, position), step=e.step, occurred_at=e.issued_at,
        note=f"{e.title} revisi {e.revision}" + (f" ({e.number})" if e.number else ""),
        data=IssuedData(**{k: getattr(e, k) for k in ISSUED_FIELDS}),
    )


def rendered_message(e: Any, position: int) -> EventMessage:
    """A revision's PDF, first fetched: its SHA-256 joins the audit trail, so a later copy can be checked."""
    return DocumentRendered(
        **_envelope(e, position), step=e.step, occurred_at=e.timestamp,
        note=f"{e.title} revisi {e.revision}: PDF dibuat",
        data=RenderedData(**{k: getattr(e, k) for k in RENDERED_FIELDS}),
    )


def numbered_message(e: Any, position: int) -> EventMessage:
    """The reply letter got its number when it was signed."""
    return LetterNumbered(
        **_envelope(e, position), note=e.number, occurred_at=e.signed_at,
        data=NumberedData(number=e.number, sequence=e.sequence),
    )
