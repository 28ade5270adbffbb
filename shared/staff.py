"""The staff directory (shared/sop/staff.yaml, or SOP_STAFF_FILE): who signs the agency's own reports,
with name, NIP and jabatan. Validated like the agency file: a broken one is refused naming the problem."""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DEFAULT_STAFF = Path(__file__).parent / "sop" / "staff.yaml"
NIP_DIGITS = 18  # birth date (8), appointment month (6), sex (1), sequence (3)


class StaffError(ValueError):
    """A staff file that does not satisfy the schema; the message names the problem."""


class Officer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    nip: str = Field(description='Nomor Induk Pegawai, 18 digits, e.g. "19800101 200501 1 001"')
    jabatan: str = Field(min_length=1)
    rank: str | None = None  # pangkat/golongan, e.g. "Pembina (IV/a)"

    @field_validator("nip")
    @classmethod
    def _nip(cls, nip: str) -> str:
        if not re.fullmatch(rf"\d{{{NIP_DIGITS}}}", nip.replace(" ", "")):
            raise ValueError(f"NIP {nip!r} is not {NIP_DIGITS} digits")
        return nip


class Officers(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sop_monitoring: Officer = Field(description="The penilai who signs the capaian kinerja monitoring form")


class StaffDirectory(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    example: bool = Field(description="True while the names are placeholders; reports then say so")
    officers: Officers

    @classmethod
    def from_file(cls, path: Path | None = None) -> StaffDirectory:
        path = path or DEFAULT_STAFF
        try:
            return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise StaffError(f"{path.name}: {exc}") from exc
