"""The agency as data (shared/sop/agency.yaml, or SOP_AGENCY_FILE): its roles and their titles, its time
zone, who hears of a breach, how its register numbers read, what its SOP monitoring form
advises. Validated like the SOP files."""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_AGENCY = Path(__file__).parent / "sop" / "agency.yaml"


class AgencyError(ValueError):
    """An agency file that does not satisfy the schema; the message names the problem."""


class MonitoringActions(BaseModel):
    """What the capaian kinerja monitoring form advises (Permenpan RB 35/2012: tindakan yang harus diambil)."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    keep: str = Field(min_length=1, description="a step or SOP that meets its standard time")
    improve: str = Field(min_length=1, description="a step that misses it, when its role has no advice of its own")
    by_role: dict[str, str] = Field(default_factory=dict, description="role -> advice for its missed steps")
    not_run: str = Field(min_length=1, description="an SOP with nothing to judge in the period")


class Agency(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    zone: str
    roles: dict[str, str] = Field(min_length=1, description="role id -> title")
    escalation: dict[str, str | None] = Field(description="role -> the role above, or null")
    register_number: str = Field(description="e.g. {number:04d}/REG/BAPPEDA/{year}")
    monitoring: MonitoringActions

    @field_validator("zone")
    @classmethod
    def _zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {zone!r}") from None
        return zone

    @model_validator(mode="after")
    def _known_roles(self) -> Agency:
        named = {r for pair in self.escalation.items() for r in pair if r is not None}
        for where, roles in (("the escalation map", named), ("monitoring.by_role", set(self.monitoring.by_role))):
            unknown = sorted(roles - set(self.roles))
            if unknown:
                raise ValueError(f"{where} names roles the agency does not have: {unknown}")
        try:
            self.register_number.format(number=1, year=2026)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"register_number {self.register_number!r} takes only {{number}} and {{year}}") from exc
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    @classmethod
    def from_file(cls, path: Path) -> Agency:
        try:
            return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, ValidationError) as exc:
            raise AgencyError(f"{path.name}: {exc}") from exc


@cache
def agency() -> Agency:
    """The deployment's agency: read once per process, from SOP_AGENCY_FILE or the shipped file."""
    return Agency.from_file(Path(os.environ.get("SOP_AGENCY_FILE") or DEFAULT_AGENCY))
