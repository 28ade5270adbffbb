"""Settings of the SLA monitor, from the environment with the prefix SOP_SLA_, e.g.
  SOP_SLA_TICK_SECONDS=15  SOP_SLA_AT_RISK_FRACTION=0.75
  SOP_SLA_ESCALATION='{"sub_koordinator": "kabid", "kepala_badan": "none"}'  (replaces the whole map)
"""
from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.agency import agency
from shared.roles import KNOWN_ROLES

# Who hears of a breach: the agency's line, from its file (shared/sop/agency.yaml); the head has
# nobody above, so a breach of their step is recorded but escalated to no one.
DEFAULT_ESCALATION: dict[str, str | None] = dict(agency().escalation)


class SlaSettings(BaseSettings):
    # SOP_SLA_PORT and SOP_SLA_URL belong to shared.settings; extra="ignore" leaves them there.
    model_config = SettingsConfigDict(env_prefix="SOP_SLA_", env_file=".env", extra="ignore")

    # The timer's period. An alert must be out within 60 s of its instant; 15 s leaves room for the
    # relay and a slow tick.
    tick_seconds: float = Field(15.0, gt=0, le=60)
    at_risk_fraction: float = Field(0.75, gt=0, lt=1)
    escalation: dict[str, str | None] = Field(default_factory=lambda: dict(DEFAULT_ESCALATION))
    # How often the working calendar is rebuilt from its settings (a holiday decreed late, a new year).
    calendar_refresh_seconds: float = Field(3600.0, gt=0)

    @field_validator("escalation")
    @classmethod
    def _roles(cls, escalation: dict[str, str | None]) -> dict[str, str | None]:
        cleaned = {role: None if above in (None, "", "none") else above for role, above in escalation.items()}
        unknown = sorted({r for pair in cleaned.items() for r in pair if r is not None} - KNOWN_ROLES)
        if unknown:
            raise ValueError(f"unknown roles in the escalation map: {', '.join(unknown)}")
        return cleaned

    def above(self, role: str) -> str | None:
        return self.escalation.get(role)
