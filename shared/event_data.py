"""The `data` of each event type: the fields particular to the fact, strictly shaped (shared/events.py)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CaseData(Data):
    case_version: int = Field(description="The case's own version after this event: its order per case")


class SubmittedData(Data):
    register_number: str
    subject: str
    applicant: dict[str, Any] = Field(description="name, institution, phone and/or email; the personal ones sealed "
                                                  "for the data subject ('pii1:<subject>:<AES-GCM>', shared/pii/)")
    form: dict[str, Any] = Field(description="The submitted form: applicant, subject, details, letter (its number "
                                             "and purpose_of_use sealed like the applicant's name)")
    tracking_code: str | None = Field(None, description="What the applicant quotes to GET /track/{register_number} "
                                                        "(printed on the buku tamu and the receipt); null before it existed")


class ErasedData(Data):
    data_subject_id: str = Field(description="Whose personal data: the request's case id")
    legal_basis: str
    reason: str


class OpenedData(CaseData):
    register_number: str
    subject: str
    applicant: dict[str, Any]
    current_step: int
    current_role: str | None
    form: dict[str, Any] | None
    tracking_code: str | None = Field(None, description="The applicant's code for GET /track/{register_number}, "
                                      "copied from the submission so the receipt can print it")
    answer_due_at: datetime | None = Field(None, description="When the answer is due by the SOP's statutory clock, "
                                           "counted in working days from registration; null without the clock "
                                           "or for a case opened before it was recorded")


class StepData(CaseData):
    next_step: int | None
    next_role: str | None
    withheld_parts: list[dict[str, str]]
    command_id: str
    draft: str | None
    attachments: list[dict[str, Any]]


class ClosedData(CaseData):
    outcome: str


class PausedData(CaseData):
    reason: str | None


class ResumedData(CaseData):
    note: str | None


class ExtendedData(CaseData):
    reason: str | None
    extra_working_days: int
    basis: str


class AlertData(Data):
    role: str
    visit: int
    due_at: datetime
    used_fraction: float


class EscalationData(Data):
    visit: int
    from_role: str | None
    to_role: str | None
    reason: str | None


class CalendarData(Data):
    digest: str
    previous_digest: str | None
    changes: list[str]


class IssuedData(Data):
    kind: str
    title: str
    revision: int
    number: str | None
    template: str
    template_version: int
    data_digest: str = Field(description="SHA-256 of the document's fields (sorted JSON): with the template, the "
                                         "letterhead and the verification URL they fix the PDF's bytes")
    source_event_id: str
    status: Literal["draft", "signed", "issued"] = Field(
        "issued", description="draft: a konsep or a letter not yet signed (KONSEP across its pages); signed: a letter "
                              "with its signature; issued: a sheet or form")


class RenderedData(Data):
    kind: str
    revision: int
    sha256: str = Field(description="SHA-256 of the PDF, as served and as a verifier may look it up")
    size: int = Field(description="Bytes of the PDF")


class NumberedData(Data):
    number: str
    sequence: int
