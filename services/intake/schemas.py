"""The portal-facing request and response bodies."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

Text = Field(min_length=1, max_length=200)


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Text
    institution: str = Field(min_length=1, max_length=200, description="Instansi / OPD / lembaga")
    phone: str | None = Field(None, pattern=r"^\+?[0-9 ()-]{6,20}$")
    email: EmailStr | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Applicant:
        if not (self.phone or self.email):
            raise ValueError("give the applicant's phone or e-mail")
        return self


class IncomingLetter(BaseModel):
    """SOP C's written request (surat masuk)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    number: str = Field(min_length=1, max_length=100)
    date: date
    purpose_of_use: str = Field(min_length=1, max_length=1000)


class SubmitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sop_id: str = Field(examples=["sop-c"])
    applicant: Applicant
    subject: str = Text
    details: str = Field("", max_length=4000)
    letter: IncomingLetter | None = None
    occurred_at: datetime | None = Field(None, description="When the guest book was filled or the letter came in")


class WithheldPart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    part: str = Field(min_length=1, max_length=500)
    legal_ground: str = Field(min_length=1, max_length=500, description="e.g. UU 14/2008 pasal 17 huruf ...")


class CompleteStep(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    decision: str = Field(max_length=64)
    note: str | None = Field(None, max_length=4000)
    withheld_parts: list[WithheldPart] | None = Field(None, max_length=50)
    draft: str | None = Field(None, max_length=20000, description="The text of a letter being drafted")
    attachments: list[str] | None = Field(
        None, max_length=20, description="SHA-256 of files uploaded with POST /cases/{case_id}/attachments")
    occurred_at: datetime | None = None


class HoldCase(BaseModel):
    """Pause (e.g. waiting for the applicant), resume, or extend the statutory deadline: with a written reason."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=2000)
    occurred_at: datetime | None = None


class Submitted(BaseModel):
    case_id: str
    register_number: str
    sop_id: str
    sop_version: int
