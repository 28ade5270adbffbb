"""Intake's use case: take a request in, give it a register number."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from services.intake.domain import RegisterBook, Request
from shared.agency import agency
from shared.clock import Clock, SystemClock
from shared.pii.fields import sealed_form
from shared.pii.keystore import KeyStore, process_keystore
from shared.pii.reveal import Revealer
from shared.roles import Actor
from shared.sop.loader import SopLibrary
from shared.sop.machine import Refused


# No 0/O, 1/I/L: read aloud or typed from paper without doubt. 8 of 31 symbols: about 8.5e11 codes, against
# a public status page that answers a few guesses a minute per address (services/intake/rate_limits.py).
CODE_SYMBOLS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_tracking_code() -> str:
    """Random, and recorded in the submission event: replay reads it back, so it is the same forever."""
    code = "".join(secrets.choice(CODE_SYMBOLS) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


class NumberTaken(Exception):
    """Another intake process saved the year's register book first: read it again and retry."""


class Intake(Application[UUID]):
    name = "intake"
    # A year's book gains an event per request: a snapshot every 500 keeps a cold load short at 100,000.
    snapshotting_intervals = {RegisterBook: 500}

    def __init__(
        self, library: SopLibrary, clock: Clock | None = None, env: dict[str, str] | None = None,
        number_pattern: str | None = None, keys: KeyStore | None = None, seal: bool = True,
    ):
        super().__init__(env)
        self.library = library
        self.clock = clock or SystemClock()
        self.number_pattern = number_pattern or agency().register_number
        self.keys = keys or process_keystore()
        self.revealer = Revealer(self.keys)  # also with `seal` off: what was sealed before still opens
        # Off (SOP_PII_ENCRYPTION=false): the form goes into the event as given, no key made; such a
        # request can never be erased (services/intake/erasure.py refuses).
        self.seal = seal

    def submit(self, sop_id: str, form: dict[str, Any], actor: Actor, occurred_at: datetime | None = None,
               request_id: UUID | None = None) -> Request:
        """Registers a request; with `request_id` (from an Idempotency-Key) a retry finds the first one.
        NumberTaken when another writer moved the register book meanwhile: the caller retries."""
        sop = self.library.latest(sop_id)
        start = sop.step(sop.start)
        assert start is not None
        if not actor.has(start.role):
            raise Refused("wrong_role", f"submitting to {sop.id} needs role '{start.role}'")
        now = self.clock.now()
        occurred_at = occurred_at or now
        if occurred_at > now:
            raise Refused("invalid_time", "occurred_at lies in the future")
        year = occurred_at.astimezone(agency().tz).year
        first = self._request(request_id) if request_id else None
        if first is not None:
            # Compared in plaintext (the stored form is sealed); once erased there is nothing left to compare.
            if first.erasure is None and (first.sop_id, self.revealer.reveal(first.form)) != (sop_id, form):
                raise Refused("idempotency_key_reused", "this Idempotency-Key was used for another request")
            return first
        book = self._book(year)
        new_id = request_id or uuid4()
        book.issue(request_id=new_id, number=book.last_number + 1)
        request = Request(
            request_id=new_id, sop_id=sop.id, sop_version=sop.version, start_step=sop.start,
            register_number=self.number_pattern.format(number=book.last_number, year=year),
            form=self._stored_form(form, str(new_id), now), submitted_by={"id": actor.id, "name": actor.name, "role": start.role},
            occurred_at=occurred_at, recorded_at=now, tracking_code=new_tracking_code(),
        )
        try:
            self.save(book, request)
        except IntegrityError:
            # On PostgreSQL a COMMIT whose reply was lost is retried by the store and meets its own rows:
            # then this request is stored, and its submitter must get it, not a retry with a new number.
            stored = self._request(new_id)
            if stored is not None:
                return stored
            raise NumberTaken(f"another writer took register number {book.last_number} first") from None
        return request

    def _stored_form(self, form: dict[str, Any], subject_id: str, now: datetime) -> dict[str, Any]:
        if not self.seal:
            return form
        # The request is its applicant's data subject: its id is the subject's, so an erasure names the case.
        key = self.keys.create(subject_id, now)
        if key is None:
            raise Refused("erased", f"the data subject {subject_id} was erased; submit under a new request")
        return sealed_form(form, subject_id, key)

    def knows(self, case_id: str) -> bool:
        """Whether this case was submitted here (the read models may not show it yet)."""
        return self.owner(case_id) is not None

    def owner(self, case_id: str) -> dict[str, str] | None:
        """Who submitted the case, and to which SOP: what a read may be checked against before the
        read models show the case."""
        try:
            request = self._request(UUID(case_id), to_change=False)
        except ValueError:
            return None
        return None if request is None else {"case_id": case_id, "sop_id": request.sop_id,
                                             "submitted_by": request.submitted_by["id"]}

    def request(self, case_id: str) -> Request | None:
        try:
            return self._request(UUID(case_id))
        except ValueError:
            return None

    def _request(self, request_id: UUID, to_change: bool = True) -> Request | None:
        """A read that changes nothing gets the cached request itself: every read of a case not yet in the
        read models asks, and copying it each time was a visible share of a step's CPU."""
        try:
            return self.repository.get(request_id, deepcopy_from_cache=to_change)
        except AggregateNotFoundError:
            return None

    def _book(self, year: int) -> RegisterBook:
        try:
            return self.repository.get(RegisterBook.create_id(year))
        except AggregateNotFoundError:
            return RegisterBook(year=year)
