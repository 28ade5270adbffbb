"""What the portal API answers: one model per kind of answer, one name and one type per field."""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from shared.roles import ActingAs

Status = Literal["submitted", "open", "paused", "closed"]


class ApplicantRef(BaseModel):
    name: str | None
    institution: str | None


class DecisionOption(BaseModel):
    id: str
    label: str
    label_en: str
    requires: list[str]


class CurrentStep(BaseModel):
    step: int
    role: str
    text: str
    text_en: str
    standard_time: str
    outputs: list[str]
    decisions: list[DecisionOption]


class RegisterRow(BaseModel):
    """A line of the buku register, and the case's state at a glance."""

    case_id: str
    register_number: str
    registered_on: date
    applicant: ApplicantRef
    sop_id: str
    sop_version: int
    subject: str
    status: Status
    current_step: int | None
    current_role: str | None
    last_step: int | None
    last_decision: str | None
    outcome: str | None = Field(description="How the case ended (completed, rejected, ...); null while open")
    closing_reason: str | None = Field(description="The decision that ended the case, and its note")
    closed_on: date | None
    paused: bool
    paused_since: datetime | None
    deadline_extended: bool
    version: int = Field(description="The case version this answer reflects (see ?min_version=)")


class AuditEntry(BaseModel):
    case_id: str
    source: str = Field(description="The service whose log holds the event")
    position: int
    event_id: str
    type: str
    sop_id: str
    sop_version: int
    step: int | None
    actor: ActingAs | None
    decision: str | None
    note: str | None
    outcome: str | None = Field(description="CaseClosed: how the case ended")
    occurred_at: datetime
    recorded_at: datetime


class FeedEvent(AuditEntry):
    """An event of the change feed (GET /events), and the `event` of every webhook delivery."""

    seq: int = Field(description="This event's place in the feed: pass it as ?after= to read on after it")
    register_number: str


class CaseAnswer(RegisterRow):
    current: CurrentStep | None = Field(description="The step waiting, who may act and with which decisions")
    history: list[AuditEntry]
    as_of: datetime | None = Field(None, description="With ?as_of=: the instant answered for (UTC), the case as "
                                                     "the logs had recorded it by then; null for the live read")


class InboxItem(RegisterRow):
    current: CurrentStep | None
    overdue: bool = Field(description="The SLA monitor found the current step breached and escalated it")


class Escalation(BaseModel):
    case_id: str
    step: int | None
    from_role: str | None
    to_role: str
    reason: str | None
    raised_at: datetime


class Submitted(BaseModel):
    case_id: str
    register_number: str
    sop_id: str
    sop_version: int
    tracking_code: str | None = Field(description="For the applicant: GET /track/{register_number}?code= "
                                                  "shows where the request stands, without a key")


class CommandAnswer(BaseModel):
    """The case after a command; `version` is the token a read can wait for (?min_version=)."""

    case_id: str
    sop_id: str
    sop_version: int
    register_number: str
    current_step: int | None
    outcome: str | None
    paused: bool
    deadline_extended: bool
    version: int


class Upload(BaseModel):
    sha256: str
    name: str
    media_type: str
    size: int


class DeadLetter(BaseModel):
    dead_letter_stream: str
    id: str
    original_stream: str | None = None
    original_id: str | None = None
    group: str | None = None
    deliveries: str | None = None
    error: str | None = None
    type: str | None = None
    case_id: str | None = None


class Requeued(BaseModel):
    requeued_as: str


class Erasure(BaseModel):
    """A data subject's erasure as recorded: the event stays in the log, the key is gone."""

    data_subject_id: str = Field(description="The request's case id: one request, one data subject")
    case_id: str
    register_number: str
    erased_at: datetime
    legal_basis: str
    reason: str
