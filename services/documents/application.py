"""Documents' use cases: file the outputs of each completed step, read a case's records."""
from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import EventSourcedProjection

from services.documents.domain import CaseFile
from services.documents.numbering import LetterBook, NumberingSettings, year_of
from shared.clock import Clock, SystemClock
from shared.contracts import EventMessage
from shared.sop.loader import SopLibrary
from shared.tracking import already_processed


class Documents(EventSourcedProjection[UUID]):
    name = "documents"

    def __init__(self, library: SopLibrary, clock: Clock | None = None, env: dict[str, str] | None = None,
                 numbering: NumberingSettings | None = None):
        super().__init__(env)
        self.library = library
        self.clock = clock or SystemClock()
        self.numbering = numbering or NumberingSettings()

    def handle_message(self, message: EventMessage, attempts: int = 20) -> bool:
        """Files a consumed event's outputs once; False when it files nothing (again)."""
        for _ in range(attempts):
            if not self._files(message) or self._filed(message):
                return False
            try:
                self.process_event(message, Tracking(message.source, message.position))
                return True
            except IntegrityError:
                # Another documents process filed this very message (then _filed says so), or it
                # took the next letter number or another step of this case first: read again.
                continue
        raise RuntimeError(f"could not file {message.type} {message.position}: too much contention")

    @staticmethod
    def _files(message: EventMessage) -> bool:
        return message.source == "routing" and message.type == "StepCompleted"

    def _filed(self, message: EventMessage) -> bool:
        """By exact position, or by event id (the same completion republished elsewhere)."""
        if already_processed(self.recorder, message.source, message.position):
            return True
        case_file = self._find(message.case_id)
        return case_file is not None and message.event_id in case_file.source_event_ids

    def policy(self, domain_event: Any, processing_event: ProcessingEvent[UUID]) -> None:
        if isinstance(domain_event, EventMessage) and self._files(domain_event):
            processing_event.collect_events(*self._file_outputs(domain_event))

    def _file_outputs(self, completed: EventMessage) -> tuple[CaseFile, LetterBook | None]:
        assert completed.step is not None and completed.actor is not None, "routing always names both"
        step = self.library.get(completed.sop_id, completed.sop_version).step(completed.step)
        if step is None:
            raise LookupError(f"{completed.sop_id} v{completed.sop_version} has no step {completed.step}")
        case_file = self._find(completed.case_id) or CaseFile(
            case_id=completed.case_id, sop_id=completed.sop_id, sop_version=completed.sop_version)
        decision = step.decision(completed.decision or "")
        book = self._letter_book(completed) if decision and decision.numbers == "letter" else None
        case_file.record_step_outputs(
            step=step.number, outputs=step.outputs, actor=completed.actor.model_dump(),
            decision=completed.decision, note=completed.note, occurred_at=completed.occurred_at,
            recorded_at=self.clock.now(), source_event_id=completed.event_id,
            letter_number=book.number(completed.case_id, (completed.sop_id, completed.sop_version),
                                      completed.occurred_at, self.numbering) if book else None,
        )
        return case_file, book

    def _letter_book(self, signed: EventMessage) -> LetterBook:
        year = year_of(signed.occurred_at)
        try:
            return self.repository.get(LetterBook.create_id(year))
        except AggregateNotFoundError:
            return LetterBook(year=year)

    def _find(self, case_id: str) -> CaseFile | None:
        try:
            return self.repository.get(CaseFile.create_id(case_id))
        except AggregateNotFoundError:
            return None

    def outputs(self, case_id: str) -> list[dict[str, Any]]:
        """The case's output records in the order they were filed; empty for a case with none yet."""
        case_file = self._find(case_id)
        return [dict(record) for record in case_file.records] if case_file else []
