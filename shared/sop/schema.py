"""The schema an SOP definition file must satisfy.

A definition is data: steps keyed by their official number (gaps such as the
missing step 3 of SOP A and B are kept), each with its actor role, mutu baku
(kelengkapan, standard working time, outputs) and the decisions that lead on.
Validation names the problem so an author can fix the file.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.roles import KNOWN_ROLES
from shared.sop.checks import problems

Outcome = Literal["completed", "not_this_division", "incomplete", "refused"]
# What a decision may demand of the command beyond the actor: a free-text note
# (a reason, an answer) or the list of withheld parts with their legal ground.
# `draft`: the text of a letter being drafted; `attachments`: files uploaded beforehand (by hash).
Requirement = Literal["note", "withheld_parts", "draft", "attachments"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WorkingTime(Frozen):
    """A standard time in working time: "0,5 jam" is hours=0.5, "1 hari" is days=1."""

    hours: Decimal = Decimal(0)
    days: Decimal = Decimal(0)

    @model_validator(mode="after")
    def _positive(self) -> WorkingTime:
        if self.hours < 0 or self.days < 0 or (self.hours == 0 and self.days == 0):
            raise ValueError("standard_time must be a positive number of hours or days")
        return self

    def label(self) -> str:
        parts = [f"{self.days.normalize():f} hari"] if self.days else []
        parts += [f"{self.hours.normalize():f} jam"] if self.hours else []
        return " + ".join(parts).replace(".", ",")


class Decision(Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    label_en: str
    next: int | None = None
    end: Outcome | None = None
    requires: tuple[Requirement, ...] = ()
    # A decision that makes a numbered letter: the documents service gives the number when it is taken.
    numbers: Literal["letter"] | None = None
    attachment_types: tuple[str, ...] = Field((), description="Media types the attachments may have; empty: any")

    @model_validator(mode="after")
    def _one_target(self) -> Decision:
        if (self.next is None) == (self.end is None):
            raise ValueError(f"decision '{self.id}' needs exactly one of 'next' or 'end'")
        return self


class Step(Frozen):
    number: int = Field(ge=1)
    role: str
    text: str = Field(min_length=1, description="The original Indonesian wording")
    text_en: str = Field(min_length=1)
    kelengkapan: tuple[str, ...]
    standard_time: WorkingTime
    outputs: tuple[str, ...] = Field(min_length=1)
    decisions: tuple[Decision, ...] = Field(min_length=1)

    def decision(self, decision_id: str) -> Decision | None:
        return next((d for d in self.decisions if d.id == decision_id), None)


class StatutoryClock(Frozen):
    """A legal deadline that runs beside the step times, e.g. UU 14/2008 art. 22 for information requests."""

    working_days: int = Field(ge=1)
    extension_working_days: int = Field(ge=0)
    basis: str
    extension_roles: tuple[str, ...] = Field(min_length=1, description="Who may extend it, once, with a reason")


class Retention(Frozen):
    """How long the case's records are kept as archives (UU 43/2009 Kearsipan, the agency's Jadwal Retensi
    Arsip): the applicant's personal data is not erased before `years` have passed since registration."""

    years: int = Field(ge=1, le=100)
    basis: str = Field(min_length=1, description="The rule that fixes the period, quoted in a refusal")


class Approval(Frozen):
    name: str
    rank: str
    nip: str


class SopDefinition(Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: int = Field(ge=1)
    code: str
    title: str
    title_en: str
    agency: str
    date_made: date
    approved_by: Approval
    intake_form: Literal["guest_book", "letter"]
    legal_basis: tuple[str, ...] = ()
    related_sops: tuple[str, ...] = ()
    roles: dict[str, str] = Field(description="role id -> lane name in the SOP")
    start: int
    steps: tuple[Step, ...] = Field(min_length=1)
    pause_roles: tuple[str, ...] = Field(
        ("petugas_tu",), description="Besides the current step's role, who may pause and resume a case")
    statutory_clock: StatutoryClock | None = None
    retention: Retention | None = Field(None, description="Archive retention that forbids erasing the applicant's "
                                                          "personal data for a period; none: erasable at any time")

    def step(self, number: int) -> Step | None:
        return next((s for s in self.steps if s.number == number), None)

    @model_validator(mode="after")
    def _coherent(self) -> SopDefinition:
        found = problems(self, KNOWN_ROLES)
        if found:
            raise ValueError("; ".join(found))
        return self
