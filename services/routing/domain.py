"""The Case: one request moving through the steps of the SOP version it started on."""
from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.roles import Actor
from shared.sop.machine import Refused, decide
from shared.sop.schema import SopDefinition


class Case(Aggregate):
    @staticmethod
    def create_id(request_id: UUID, **_: Any) -> UUID:
        return request_id

    @event("Opened")
    def __init__(
        self,
        request_id: UUID,
        sop_id: str,
        sop_version: int,
        register_number: str,
        subject: str,
        applicant: dict[str, Any],
        start_step: int,
        opened_at: datetime,
    ):
        self.sop_id = sop_id
        self.sop_version = sop_version
        self.register_number = register_number
        self.subject = subject
        self.applicant = applicant
        self.current_step: int | None = start_step
        self.outcome: str | None = None
        self.last_occurred_at = opened_at
        self.command_ids: set[str] = set()
        self.completed: list[dict[str, Any]] = []

    def complete_step(
        self,
        sop: SopDefinition,
        *,
        step: int,
        decision: str,
        actor: Actor,
        occurred_at: datetime,
        recorded_at: datetime,
        command_id: str,
        note: str | None = None,
        withheld_parts: list[dict[str, str]] | None = None,
    ) -> None:
        if (sop.id, sop.version) != (self.sop_id, self.sop_version):
            raise ValueError("a case runs only on the SOP version it started on")
        provided = frozenset(n for n, v in (("note", note), ("withheld_parts", withheld_parts)) if v)
        transition = decide(sop, self.current_step, step, decision, actor, provided)
        if occurred_at > recorded_at:
            raise Refused("invalid_time", "occurred_at lies in the future")
        if occurred_at < self.last_occurred_at:
            raise Refused("invalid_time", "occurred_at lies before the previous step of this case")
        self._step_completed(
            sop_id=sop.id,
            sop_version=sop.version,
            step=step,
            decision=decision,
            actor={"id": actor.id, "name": actor.name, "role": transition.step.role},
            note=note,
            withheld_parts=withheld_parts or [],
            occurred_at=occurred_at,
            recorded_at=recorded_at,
            command_id=command_id,
            next_step=transition.next_step,
        )
        if transition.outcome:
            self._closed(
                sop_id=sop.id, sop_version=sop.version, outcome=transition.outcome,
                closed_at=occurred_at, recorded_at=recorded_at,
            )

    @event("StepCompleted")
    def _step_completed(
        self,
        sop_id: str,
        sop_version: int,
        step: int,
        decision: str,
        actor: dict[str, str],
        note: str | None,
        withheld_parts: list[dict[str, str]],
        occurred_at: datetime,
        recorded_at: datetime,
        command_id: str,
        next_step: int | None,
    ) -> None:
        self.current_step = next_step
        self.last_occurred_at = occurred_at
        self.command_ids.add(command_id)
        self.completed.append({"step": step, "decision": decision, "actor": actor, "occurred_at": occurred_at})

    @event("Closed")
    def _closed(
        self, sop_id: str, sop_version: int, outcome: str, closed_at: datetime, recorded_at: datetime
    ) -> None:
        self.current_step = None
        self.outcome = outcome

    @property
    def is_open(self) -> bool:
        return self.current_step is not None
