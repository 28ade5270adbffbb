"""The Case: one request moving through the steps of the SOP version it started on."""
from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.routing.holds import check_attachment_types, check_time, extension_role, hold_role, require_reason
from shared.roles import Actor
from shared.sop.machine import Refused, decide
from shared.sop.schema import SopDefinition


def _acting(actor: Actor, role: str) -> dict[str, str]:
    return {"id": actor.id, "name": actor.name, "role": role}


class Case(Aggregate):
    class Opened(Aggregate.Created):
        """v2 carries the submitted `form` (the documents' fields) and the applicant's `tracking_code`
        (printed on the receipt); a v1 event, stored before either existed, reads back with None for both.
        v3 carries `answer_due_at`, the statutory deadline as counted at registration (deadline.py); a v2
        event, stored before it existed, reads back with None."""
        class_version = 3
        request_id: UUID
        sop_id: str
        sop_version: int
        register_number: str
        subject: str
        applicant: dict[str, Any]
        start_step: int
        opened_at: datetime
        form: dict[str, Any] | None
        tracking_code: str | None
        answer_due_at: datetime | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("form", None)
            state.setdefault("tracking_code", None)

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state.setdefault("answer_due_at", None)

    @staticmethod
    def create_id(request_id: UUID, **_: Any) -> UUID:
        return request_id

    @event(Opened)
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
        form: dict[str, Any] | None,
        tracking_code: str | None,
        answer_due_at: datetime | None = None,
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
        self.paused_since: datetime | None = None
        self.deadline_extended = False

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
        draft: str | None = None,
        attachments: list[dict[str, Any]] | None = None,
    ) -> None:
        if (sop.id, sop.version) != (self.sop_id, self.sop_version):
            raise ValueError("a case runs only on the SOP version it started on")
        if self.paused_since is not None:
            raise Refused("case_paused", "the case is paused; resume it before completing a step")
        given = {"note": note, "withheld_parts": withheld_parts, "draft": draft, "attachments": attachments}
        provided = frozenset(name for name, value in given.items() if value and str(value).strip())
        transition = decide(sop, self.current_step, step, decision, actor, provided)
        check_attachment_types(transition.decision, attachments or [])
        check_time(self.last_occurred_at, occurred_at, recorded_at)
        self._step_completed(
            sop_id=sop.id,
            sop_version=sop.version,
            step=step,
            decision=decision,
            actor=_acting(actor, transition.step.role),
            note=note,
            withheld_parts=withheld_parts or [],
            occurred_at=occurred_at,
            recorded_at=recorded_at,
            command_id=command_id,
            next_step=transition.next_step,
            draft=draft,
            attachments=attachments or [],
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
        draft: str | None,
        attachments: list[dict[str, Any]],
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

    def pause(self, sop: SopDefinition, *, reason: str, actor: Actor, occurred_at: datetime,
              recorded_at: datetime, command_id: str) -> None:
        role = hold_role(self.current_step, sop, actor)
        require_reason(reason)
        if self.paused_since is not None:
            raise Refused("case_paused", "the case is already paused")
        check_time(self.last_occurred_at, occurred_at, recorded_at)
        self._paused(sop_id=sop.id, sop_version=sop.version, reason=reason, actor=_acting(actor, role),
                     occurred_at=occurred_at, recorded_at=recorded_at, command_id=command_id)

    def resume(self, sop: SopDefinition, *, note: str | None, actor: Actor, occurred_at: datetime,
               recorded_at: datetime, command_id: str) -> None:
        role = hold_role(self.current_step, sop, actor)
        if self.paused_since is None:
            raise Refused("not_paused", "the case is not paused")
        check_time(self.last_occurred_at, occurred_at, recorded_at)
        self._resumed(sop_id=sop.id, sop_version=sop.version, note=note, actor=_acting(actor, role),
                      occurred_at=occurred_at, recorded_at=recorded_at, command_id=command_id)

    def extend_deadline(self, sop: SopDefinition, *, reason: str, actor: Actor, occurred_at: datetime,
                        recorded_at: datetime, command_id: str) -> None:
        role = extension_role(self.current_step, self.deadline_extended, sop, actor)
        require_reason(reason)
        check_time(self.last_occurred_at, occurred_at, recorded_at)
        self._deadline_extended(
            sop_id=sop.id, sop_version=sop.version, reason=reason, actor=_acting(actor, role),
            extra_working_days=sop.statutory_clock.extension_working_days, basis=sop.statutory_clock.basis,
            occurred_at=occurred_at, recorded_at=recorded_at, command_id=command_id)

    @event("Paused")
    def _paused(self, sop_id: str, sop_version: int, reason: str, actor: dict[str, str],
                occurred_at: datetime, recorded_at: datetime, command_id: str) -> None:
        self.paused_since = occurred_at
        self._noted(occurred_at, command_id)

    @event("Resumed")
    def _resumed(self, sop_id: str, sop_version: int, note: str | None, actor: dict[str, str],
                 occurred_at: datetime, recorded_at: datetime, command_id: str) -> None:
        self.paused_since = None
        self._noted(occurred_at, command_id)

    @event("DeadlineExtended")
    def _deadline_extended(self, sop_id: str, sop_version: int, reason: str, actor: dict[str, str],
                           extra_working_days: int, basis: str, occurred_at: datetime, recorded_at: datetime,
                           command_id: str) -> None:
        self.deadline_extended = True
        self._noted(occurred_at, command_id)

    def _noted(self, occurred_at: datetime, command_id: str) -> None:
        self.last_occurred_at = occurred_at
        self.command_ids.add(command_id)

    @property
    def is_open(self) -> bool:
        return self.current_step is not None
