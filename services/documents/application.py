"""Documents' use cases: keep each case's facts, issue its documents, number letters, answer verifiers."""
from __future__ import annotations

import contextlib
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import EventSourcedProjection

from services.documents.domain import CaseFile
from services.documents.index import DocumentDigest, DocumentNumber
from services.documents.issuing import Issuer
from services.documents.letter_filing import LetterFiling
from services.documents.numbering import AGENCY_ZONE, LetterBook, NumberingSettings, year_of
from shared.contracts import EventMessage
from services.documents.erasure import erased_file, remove_personal_pdfs
from shared.events import CaseOpened, PersonalDataErased, StepCompleted, typed

FACT_FIELDS = ("type", "step", "decision", "note", "occurred_at", "event_id")
NOT_FACTS = ("command_id", "case_version")  # delivery details, not what happened


class Documents(LetterFiling, EventSourcedProjection[UUID]):
    name = "documents"

    def __init__(self, issuer: Issuer, env: dict[str, str] | None = None, numbering: NumberingSettings | None = None):
        super().__init__(env)
        self.issuer = issuer
        self.library = issuer.library
        self.numbering = numbering or NumberingSettings()
        self._in_batch: dict[UUID, Aggregate] = {}

    def handle_batch(self, messages: list[EventMessage]) -> dict[int, str]:
        """A follower's batch: routing's facts filed in one transaction, tracked at the last of them; what that
        cannot take (an erasure, a letter to number, a conflict with another process, a fact that fails) is
        filed one at a time instead. Answers the failures by index, as the follower expects."""
        if len(messages) > 1 and all(m.source == "routing" and not self._numbers_letter(m) for m in messages):
            try:
                self._file_together(messages)
                return {}
            except Exception:  # noqa: BLE001 - one at a time below says which fact fails, and the follower retries it
                for m in messages:
                    self._forget(m)
        failed = {}
        for n, m in enumerate(messages):
            try:
                self.handle_message(m)
            except Exception as exc:  # noqa: BLE001 - the follower retries it, then parks it
                failed[n] = f"{type(exc).__name__}: {exc}"
        return failed

    def _file_together(self, messages: list[EventMessage]) -> None:
        last = messages[-1]
        processing_event = ProcessingEvent[UUID](tracking=Tracking(last.source, last.position))
        self._in_batch = processing_event.aggregates  # a case opened earlier in the batch is not stored yet
        try:
            for m in messages:
                if not self._filed(m):
                    processing_event.collect_events(*self._file(m))
            recordings = self._record(processing_event)
        finally:
            self._in_batch = {}
        self._take_snapshots(processing_event)
        self._notify(recordings)

    def handle_message(self, message: EventMessage, attempts: int = 20) -> bool:
        """Files a consumed event once; False when it files nothing (again)."""
        for _ in range(attempts):
            if not self._files(message) or self._filed(message):
                return False
            try:
                if isinstance(message, PersonalDataErased) and (case_file := self.case_file(message.case_id)):
                    remove_personal_pdfs(self.issuer, case_file)
                if self._numbers_letter(message):
                    self._reserve_number(message)
                self.process_event(message, Tracking(message.source, message.position))
                return True
            except IntegrityError:
                # Another documents process filed this very message (then _filed says so), or it
                # took the next letter number or changed this case's file first (a fact filed, or a
                # PDF's first rendering recorded by a request): read again.
                self._forget(message)
                continue
            except Exception:
                self._forget(message)
                raise
        raise RuntimeError(f"could not file {message.type} {message.position}: too much contention")

    def _filed(self, message: EventMessage) -> bool:
        """By event id: the case file remembers every fact it recorded."""
        case_file = self.case_file(message.case_id)
        return case_file is not None and message.event_id in case_file.source_event_ids

    @staticmethod
    def _files(message: EventMessage) -> bool:
        """Routing's facts, and intake's erasures (of intake's events the only one documents acts on)."""
        return message.source == "routing" or isinstance(message, PersonalDataErased)

    def policy(self, domain_event: Any, processing_event: ProcessingEvent[UUID]) -> None:
        if isinstance(domain_event, PersonalDataErased):
            processing_event.collect_events(erased_file(self.case_file_to_change(domain_event.case_id), domain_event))
        elif isinstance(domain_event, EventMessage) and domain_event.source == "routing":
            processing_event.collect_events(*self._file(domain_event))

    def _file(self, m: EventMessage) -> list[Aggregate]:
        m = typed(m)
        case_file = self.case_file_to_change(m.case_id) or CaseFile(case_id=m.case_id, sop_id=m.sop_id,
                                                          sop_version=m.sop_version)
        book = self._letter_book(m) if self._numbers_letter(m) else None
        fact = m.model_dump(include=set(FACT_FIELDS)) | {
            "actor": m.actor.model_dump() if m.actor else None,
            # The directory's record of the actor as it stood then: the papers name them so on every replay.
            "official": self.issuer.staff.signer(m.actor.id, m.actor.role, m.occurred_at, AGENCY_ZONE)
            if m.actor else None,
            "data": {k: v for k, v in m.data.model_dump(mode="json").items() if k not in NOT_FACTS},
            "letter_number": book.number(m.case_id, (m.sop_id, m.sop_version), m.occurred_at, self.numbering)
            if book else None}
        if isinstance(m, StepCompleted) and (signing := self._signing_role(m)):
            # Who is to sign the case's letter, as the directory stood then: an unsigned letter names them.
            fact["signatory_due"] = self.issuer.staff.holder(signing, m.occurred_at, AGENCY_ZONE)
        before = case_file.contiguous_through()
        case_file.record(version=getattr(m.data, "case_version", 0) or case_file.next_version(), source_event_id=m.event_id,
                         fact=fact)
        self.issuer.issue(case_file, before, case_file.contiguous_through())
        changed: list[Aggregate] = [case_file]
        number = fact["letter_number"] or (m.data.register_number if isinstance(m, CaseOpened) else None)
        if number and self._by_number(number) is None:
            changed.append(DocumentNumber(number=number, case_id=m.case_id))
        return changed + ([book] if book else [])

    def _get(self, aggregate_id: UUID) -> Any:
        """The cached aggregate itself, for reads and changes alike: a case file grows with its case, and
        copying it for every change (the library's default) cost more than filing the fact. A change that
        fails leaves the cached copy half changed, so a failed filing forgets it (_forget)."""
        if (changing := self._in_batch.get(aggregate_id)) is not None:
            return changing
        try:
            return self.repository.get(aggregate_id, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            return None

    def _forget(self, message: EventMessage) -> None:
        """Drops what filing `message` may have changed from the cache: the next read loads it from the store."""
        self.forget(CaseFile.create_id(message.case_id), LetterBook.create_id(year_of(message.occurred_at)))

    def forget(self, *aggregate_ids: UUID) -> None:
        for aggregate_id in aggregate_ids:
            with contextlib.suppress(KeyError):
                self.repository.cache.get(aggregate_id, evict=True)

    def case_file(self, case_id: str) -> CaseFile | None:
        """To read: never mutate what this answers."""
        return self._get(CaseFile.create_id(case_id))

    def case_file_to_change(self, case_id: str) -> CaseFile | None:
        return self._get(CaseFile.create_id(case_id))

    def _by_number(self, number: str) -> DocumentNumber | None:
        return self._get(DocumentNumber.create_id(number))

    def by_sha256(self, sha256: str) -> DocumentDigest | None:
        return self._get(DocumentDigest.create_id(sha256.lower()))

    def case_of_number(self, number: str) -> str | None:
        found = self._by_number(number)
        return found.case_id if found else None
