"""What documents publishes: one OutputRecorded per output record filed."""
from __future__ import annotations

from typing import Any

from services.documents.domain import CaseFile
from services.documents.numbering import LetterBook
from shared.contracts import EventMessage, stable_event_id
from shared.roles import ActingAs


def to_message(domain_event: Any, position: int) -> EventMessage | None:
    if isinstance(domain_event, LetterBook.LetterNumbered):
        return numbered_message(domain_event, position)
    if not isinstance(domain_event, CaseFile.OutputRecorded):
        return None  # opening a file or a book is bookkeeping; nobody outside needs it
    e = domain_event
    return EventMessage(
        event_id=stable_event_id(e.originator_id, e.originator_version),
        type="OutputRecorded",
        source="documents",
        position=position,
        case_id=e.case_id,
        sop_id=e.sop_id,
        sop_version=e.sop_version,
        step=e.step,
        actor=ActingAs(**e.actor),
        decision=e.decision,
        note=e.note,
        occurred_at=e.occurred_at,
        recorded_at=e.recorded_at,
        data={"output": e.output, "source_event_id": e.source_event_id,
              "letter_number": getattr(e, "letter_number", None)},
    )


def numbered_message(e: Any, position: int) -> EventMessage:
    """The reply letter got its number when it was signed."""
    return EventMessage(
        event_id=stable_event_id(e.originator_id, e.originator_version), type="LetterNumbered",
        source="documents", position=position, case_id=e.case_id, sop_id=e.sop_id, sop_version=e.sop_version,
        note=e.number, occurred_at=e.signed_at, recorded_at=e.timestamp,
        data={"number": e.number, "sequence": e.sequence},
    )
