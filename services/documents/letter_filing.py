"""The letters a case's signing numbers: which decisions number one, who signs, and the year's book."""
from __future__ import annotations

from typing import Any

from eventsourcing.application import AggregateNotFoundError

from services.documents.numbering import LetterBook, year_of
from shared.contracts import EventMessage
from shared.events import StepCompleted


class LetterFiling:
    """Part of the documents application (services/documents/application.py), which provides `library`,
    `numbering`, `repository` and `save`."""

    library: Any
    numbering: Any
    repository: Any

    def _reserve_number(self, signed: EventMessage) -> None:
        """Takes the letter's number in its own short transaction, before the letter is issued.

        Filing the signing (every document's fields built again) takes milliseconds; holding the
        year's book that long would make two processes signing at once collide over and over. A
        reserved number belongs to its case (asked again, the book answers the same one), and the
        signing is filed until it succeeds, so a reservation never leaves a gap.
        """
        book = self._letter_book(signed)
        book.number(signed.case_id, (signed.sop_id, signed.sop_version), signed.occurred_at, self.numbering)
        self.save(book)  # IntegrityError: another process numbered first; the caller reads again

    def _numbers_letter(self, m: EventMessage) -> bool:
        step = self.library.get(m.sop_id, m.sop_version).step(m.step) if isinstance(m, StepCompleted) else None
        decision = step.decision(m.decision or "") if step else None
        return bool(decision and decision.numbers == "letter")

    def _signing_role(self, m: EventMessage) -> str | None:
        """The role whose decision numbers (signs) the SOP's letters, if it has one."""
        sop = self.library.get(m.sop_id, m.sop_version)
        return next((s.role for s in sop.steps if any(d.numbers == "letter" for d in s.decisions)), None)

    def _letter_book(self, signed: EventMessage) -> LetterBook:
        year = year_of(signed.occurred_at)
        try:
            return self.repository.get(LetterBook.create_id(year))
        except AggregateNotFoundError:
            return LetterBook(year=year)
