"""The portal-facing request bodies: every field typed and bounded (the lengths are in the OpenAPI)."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, EmailStr, Field, model_validator


def _written_date(value: object) -> object:
    """A date written YYYY-MM-DD: not a number of seconds, not a timestamp."""
    if isinstance(value, date) or (isinstance(value, str) and len(value) == 10):
        return value
    raise ValueError("write the date as YYYY-MM-DD")


WrittenDate = Annotated[date, BeforeValidator(_written_date)]
Text = Field(min_length=1, max_length=200)
When = Field(None, description="When it happened, with its UTC offset: not in the future, and at most "
                               "SOP_MAX_BACKDATE_DAYS (7) days ago. Default: now")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Applicant(Strict):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={
        "anyOf": [{"required": ["phone"]}, {"required": ["email"]}]})

    name: str = Text
    institution: str = Field(min_length=1, max_length=200, description="Instansi / OPD / lembaga")
    phone: str | None = Field(None, pattern=r"^\+?[0-9 ()-]{6,20}$")
    email: EmailStr | None = Field(None, max_length=254)

    @model_validator(mode="after")
    def _reachable(self) -> Applicant:
        if not (self.phone or self.email):
            raise ValueError("give the applicant's phone or e-mail")
        return self


class IncomingLetter(Strict):
    """SOP C's written request (surat masuk)."""

    number: str = Field(min_length=1, max_length=100)
    date: WrittenDate = Field(description="The letter's date, YYYY-MM-DD: not after it came in, "
                                          "and at most a year before")
    purpose_of_use: str = Field(min_length=1, max_length=1000)


class SubmitRequest(Strict):
    sop_id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9-]*$", examples=["sop-c"])
    applicant: Applicant
    subject: str = Text
    details: str = Field("", max_length=4000)
    letter: IncomingLetter | None = None
    occurred_at: AwareDatetime | None = When


class WithheldPart(Strict):
    part: str = Field(min_length=1, max_length=500)
    legal_ground: str = Field(min_length=1, max_length=500, description="e.g. UU 14/2008 pasal 17 huruf ...")


class CompleteStep(Strict):
    decision: str = Field(min_length=1, max_length=64)
    note: str | None = Field(None, max_length=4000)
    withheld_parts: list[WithheldPart] | None = Field(None, max_length=50)
    draft: str | None = Field(None, max_length=20000, description="The text of a letter being drafted")
    attachments: list[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]] | None = Field(
        None, max_length=20, description="SHA-256 of files uploaded with POST /cases/{case_id}/attachments")
    occurred_at: AwareDatetime | None = When


class HoldCase(Strict):
    """Pause (e.g. waiting for the applicant), resume, or extend the statutory deadline: with a written reason."""

    reason: str = Field(min_length=1, max_length=2000)
    occurred_at: AwareDatetime | None = When


class EraseSubject(Strict):
    """An erasure request under UU 27/2022: on what basis, and why (the applicant's request, an order)."""

    legal_basis: str = Field(min_length=1, max_length=500, examples=["UU 27/2022 pasal 8"])
    reason: str = Field(min_length=1, max_length=2000)
