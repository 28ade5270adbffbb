"""The staff directory (shared/sop/staff.yaml, or SOP_STAFF_FILE): who the agency's officials are, as their
papers name them (name with gelar as written, NIP, pangkat/golongan, jabatan, paraf) and who acts for whom
(a.n., Plt., Plh.) from when to when. Signature blocks, paraf and initials come from here, never from an
SOP file's approver or from splitting a name. Validated like the agency file: a broken one is refused
naming the problem."""
from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_STAFF = Path(__file__).parent / "sop" / "staff.yaml"
NIP_DIGITS = 18  # birth date (8), appointment month (6), sex (1), sequence (3)
# a.n. (atas nama): signs for the head by delegation; Plt. (pelaksana tugas): the office is vacant;
# Plh. (pelaksana harian): the holder is away for a while (Permendagri 1/2023 on tata naskah dinas).
ActingForm = Literal["a.n.", "Plt.", "Plh."]


class StaffError(ValueError):
    """A staff file that does not satisfy the schema; the message names the problem."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Officer(Strict):
    name: str = Field(min_length=1, description='With gelar as written, e.g. "HARTO, S.E., M.Si."')
    nip: str = Field(description='Nomor Induk Pegawai, 18 digits, e.g. "19800101 200501 1 001"')
    jabatan: str = Field(min_length=1)
    rank: str | None = None  # pangkat/golongan, e.g. "Pembina (IV/a)"

    @field_validator("nip")
    @classmethod
    def _nip(cls, nip: str) -> str:
        if not re.fullmatch(rf"\d{{{NIP_DIGITS}}}", nip.replace(" ", "")):
            raise ValueError(f"NIP {nip!r} is not {NIP_DIGITS} digits")
        return nip


class Official(Officer):
    """A person who signs in (`id`: the credential's id) and holds the office of an SOP role."""

    id: str = Field(min_length=1)
    role: str | None = Field(None, description="The SOP role whose office they hold, e.g. kepala_badan")
    paraf: str = Field(min_length=1, max_length=6, description="The initials they write as paraf, e.g. HR")


class Acting(Strict):
    """`official` signs for `for_role` in the given form from `start` to `end` inclusive (WIB dates)."""

    official: str
    for_role: str
    for_jabatan: str = Field(min_length=1, description="The office acted for, as the caption names it")
    form: ActingForm
    start: date
    end: date | None = None  # open-ended

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class Officers(Strict):
    sop_monitoring: Officer = Field(description="The penilai who signs the capaian kinerja monitoring form")


class StaffDirectory(Strict):
    example: bool = Field(description="True while the names are placeholders; reports then say so")
    officers: Officers
    officials: tuple[Official, ...] = ()
    acting: tuple[Acting, ...] = ()

    @model_validator(mode="after")
    def _coherent(self) -> StaffDirectory:
        ids = [o.id for o in self.officials]
        if len(ids) != len(set(ids)):
            raise ValueError(f"an official id is listed twice: {sorted(i for i in ids if ids.count(i) > 1)}")
        for a in self.acting:
            if a.official not in ids:
                raise ValueError(f"acting: no official with id {a.official!r}")
            if a.end is not None and a.end < a.start:
                raise ValueError(f"acting of {a.official}: end {a.end} is before start {a.start}")
        return self

    def by_id(self, official_id: str | None) -> Official | None:
        return next((o for o in self.officials if o.id == official_id), None)

    def acting_for(self, official_id: str, role: str, day: date) -> Acting | None:
        return next((a for a in self.acting if a.official == official_id and a.for_role == role and a.covers(day)),
                    None)

    def signer(self, actor_id: str | None, role: str | None, at: datetime, zone: object) -> dict | None:
        """How a paper names whoever acted in `role` at `at`: their record, and the form when they act for
        another office (None: not in the directory, the paper prints the credential's name only)."""
        official = self.by_id(actor_id)
        if official is None:
            return None
        found = official.model_dump(exclude={"id"}) | {"acting": None, "for_jabatan": None}
        if role and official.role != role:
            acting = self.acting_for(official.id, role, at.astimezone(zone).date())  # type: ignore[arg-type]
            if acting:
                found |= {"acting": acting.form, "for_jabatan": acting.for_jabatan}
        return found

    def holder(self, role: str, at: datetime, zone: object) -> dict | None:
        """Who is to sign for `role` on `at`'s day, named as `signer` names them: whoever the directory has
        acting for the office then (Plt./Plh./a.n.), else its holder (None: nobody holds it)."""
        day = at.astimezone(zone).date()  # type: ignore[arg-type]
        acting = next((a for a in self.acting if a.for_role == role and a.covers(day)), None)
        official = self.by_id(acting.official) if acting else next((o for o in self.officials if o.role == role), None)
        return self.signer(official.id, role, at, zone) if official else None

    @classmethod
    def from_file(cls, path: Path | None = None) -> StaffDirectory:
        path = path or DEFAULT_STAFF
        try:
            return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise StaffError(f"{path.name}: {exc}") from exc
