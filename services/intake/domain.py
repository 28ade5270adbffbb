"""The front desk's records: each submitted request, and the register book that numbers them."""
from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class Request(Aggregate):
    """Step 1 of every SOP: the guest book entry or the incoming letter."""

    class Submitted(Aggregate.Created):
        """v2 carries `tracking_code`; a v1 event, stored before codes existed, reads back with None."""
        class_version = 2
        request_id: UUID
        sop_id: str
        sop_version: int
        start_step: int
        register_number: str
        form: dict[str, Any]
        submitted_by: dict[str, str]
        occurred_at: datetime
        recorded_at: datetime
        tracking_code: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("tracking_code", None)

    @staticmethod
    def create_id(request_id: UUID, **_: Any) -> UUID:
        return request_id

    @event(Submitted)
    def __init__(
        self,
        request_id: UUID,
        sop_id: str,
        sop_version: int,
        start_step: int,
        register_number: str,
        form: dict[str, Any],
        submitted_by: dict[str, str],
        occurred_at: datetime,
        recorded_at: datetime,
        tracking_code: str | None,
    ):
        self.sop_id = sop_id
        self.sop_version = sop_version
        self.register_number = register_number
        self.form = form
        self.submitted_by = submitted_by
        self.tracking_code = tracking_code
        self.occurred_at = occurred_at
        self.erasure: dict[str, Any] | None = None

    @event("PersonalDataErased")
    def erase(self, sop_id: str, sop_version: int, legal_basis: str, reason: str, erased_by: dict[str, str],
              occurred_at: datetime, recorded_at: datetime) -> None:
        """The applicant's data subject was erased (their key deleted); the request's sealed form stays."""
        self.erasure = {"legal_basis": legal_basis, "reason": reason, "erased_by": erased_by,
                        "occurred_at": occurred_at, "recorded_at": recorded_at}


class RegisterBook(Aggregate):
    """One book a year. Numbers come from its events, so two writers cannot issue the same one
    (optimistic concurrency on the book's version) and none is skipped."""

    @staticmethod
    def create_id(year: int) -> UUID:
        return uuid5(NAMESPACE_URL, f"sop-register-book/{year}")

    @event("Opened")
    def __init__(self, year: int):
        self.year = year
        self.last_number = 0

    @event("NumberIssued")
    def issue(self, request_id: UUID, number: int) -> None:
        if number != self.last_number + 1:
            raise ValueError(f"register number {number} would leave a gap after {self.last_number}")
        self.last_number = number
