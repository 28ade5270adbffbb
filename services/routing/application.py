"""Routing's use cases: open a case for a submitted request, complete its steps."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import EventSourcedProjection

from services.routing.deadline import CalendarFor, answer_due_at, calendar_from_settings
from services.routing.domain import Case
from shared.clock import Clock, SystemClock
from shared.contracts import CaseCommand, EventMessage, StepCommand
from shared.events import RequestSubmitted, typed
from shared.roles import Actor
from shared.sop.loader import SopLibrary
from shared.sop.machine import Refused


class CaseNotFound(LookupError):
    pass


class Conflict(Exception):
    """Someone else completed the step first."""


class Routing(EventSourcedProjection[UUID]):
    name = "routing"

    def __init__(self, library: SopLibrary, clock: Clock | None = None, env: dict[str, str] | None = None,
                 calendar_for: CalendarFor | None = None):
        super().__init__(env)
        self.library = library
        self.clock = clock or SystemClock()
        self.calendar_for = calendar_for or calendar_from_settings

    def handle_message(self, message: EventMessage) -> bool:
        """Processes a followed event once; False when it was processed before (its tracking record,
        unique per source and position, is written in the same transaction as the case it opens)."""
        try:
            self.process_event(message, Tracking(message.source, message.position))
        except IntegrityError:
            return False  # applied before (a dead letter sent back, a second reader): its effect is stored
        return True

    def policy(self, domain_event: Any, processing_event: ProcessingEvent[UUID]) -> None:
        event = typed(domain_event) if isinstance(domain_event, EventMessage) else None
        if isinstance(event, RequestSubmitted):
            processing_event.collect_events(self._open(event))

    def _open(self, submitted: RequestSubmitted) -> Case:
        sop = self.library.get(submitted.sop_id, submitted.sop_version)
        start = sop.step(sop.start)
        assert start is not None and submitted.actor is not None
        case = Case(
            request_id=UUID(submitted.case_id),
            sop_id=sop.id,
            sop_version=sop.version,
            register_number=submitted.data.register_number,
            subject=submitted.data.subject,
            applicant=submitted.data.applicant,
            start_step=sop.start,
            opened_at=submitted.occurred_at,
            form=submitted.data.form,
            tracking_code=submitted.data.tracking_code,
            answer_due_at=answer_due_at(sop, submitted.occurred_at, self.calendar_for),
        )
        by = submitted.actor
        case.complete_step(
            sop, step=sop.start, decision=start.decisions[0].id,
            actor=Actor(id=by.id, name=by.name, roles=(by.role,)),
            occurred_at=submitted.occurred_at, recorded_at=self.clock.now(),
            command_id=submitted.event_id,  # stable per submission: a redelivery names the same step-1 command
        )
        return case

    def complete_step(self, command: StepCommand) -> Case:
        with self._changing(command.case_id) as case:
            return self._complete_step(case, command)

    def _complete_step(self, case: Case, command: StepCommand) -> Case:
        if command.command_id in case.command_ids:
            return case  # the same command again: already applied, answer as before
        now = self.clock.now()
        case.complete_step(
            self.library.get(case.sop_id, case.sop_version),
            step=command.step,
            decision=command.decision,
            actor=Actor(id=command.actor_id, name=command.actor_name, roles=command.actor_roles),
            occurred_at=command.occurred_at or now,
            recorded_at=now,
            command_id=command.command_id,
            note=command.note,
            withheld_parts=command.withheld_parts,
            draft=command.draft,
            attachments=command.attachments,
        )
        return self._saved(case, command.command_id,
                           f"step {command.step} of case {command.case_id} was completed concurrently")

    def hold(self, command: CaseCommand) -> Case:
        """Pause, resume or extend: facts about the case's clocks, not steps."""
        with self._changing(command.case_id) as case:
            return self._hold(case, command)

    def _hold(self, case: Case, command: CaseCommand) -> Case:
        if command.command_id in case.command_ids:
            return case
        now = self.clock.now()
        sop = self.library.get(case.sop_id, case.sop_version)
        actor = Actor(id=command.actor_id, name=command.actor_name, roles=command.actor_roles)
        when = {"occurred_at": command.occurred_at or now, "recorded_at": now, "command_id": command.command_id}
        if command.action == "pause":
            case.pause(sop, reason=command.reason or "", actor=actor, **when)
        elif command.action == "resume":
            case.resume(sop, note=command.reason, actor=actor, **when)
        else:
            case.extend_deadline(sop, reason=command.reason or "", actor=actor, **when)
        return self._saved(case, command.command_id, f"case {command.case_id} changed concurrently; read it and try again")

    def _saved(self, case: Case, command_id: str, conflict: str) -> Case:
        """Saves; a version already taken is a conflict only when another command took it. On PostgreSQL
        a COMMIT whose reply was lost is retried by the store and meets its own row: then the stored case
        holds this command, and the caller must hear that it succeeded."""
        try:
            self.save(case)
        except IntegrityError as exc:
            self._forget(case.id)  # the cached case holds this command's unsaved change: read the stored one
            stored = self.repository.get(case.id)
            if command_id in stored.command_ids:
                return stored
            raise Conflict(conflict) from exc
        return case

    def get_case(self, case_id: str | UUID, copy: bool = True) -> Case:
        try:
            return self.repository.get(UUID(str(case_id)), deepcopy_from_cache=copy)
        except (AggregateNotFoundError, ValueError):
            raise CaseNotFound(f"no case {case_id}") from None

    @contextlib.contextmanager
    def _changing(self, case_id: str | UUID) -> Iterator[Case]:
        """The cached case itself, changed in place: copying it for every command (the library's default)
        was a visible share of a step's CPU. A command that fails, refused or not saved, may leave it half
        changed, so then it is dropped from the cache and read from the store next time."""
        case = self.get_case(case_id, copy=False)
        try:
            yield case
        except BaseException:
            self._forget(case.id)
            raise

    def _forget(self, case_id: UUID) -> None:
        with contextlib.suppress(KeyError):
            self.repository.cache.get(case_id, evict=True)


__all__ = ["Routing", "CaseNotFound", "Conflict", "Refused"]
