"""Letter numbers: per year, gap-free and never duplicated.

Numbers come from the event log, not from a counter in memory: one LetterBook aggregate
a year issues them, and optimistic concurrency on its version means two documents
processes cannot both take the same number (the loser retries with the book re-read).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.agency import agency

AGENCY_ZONE = agency().tz


class NumberingSettings(BaseSettings):
    """e.g. 050/007/BAPPEDA/2026: archive classification code (050 Perencanaan) / sequence / unit / year."""

    model_config = SettingsConfigDict(env_prefix="SOP_LETTER_", env_file=".env", extra="ignore")

    number_pattern: str = "{classification}/{sequence:03d}/{unit}/{year}"
    classification: str = "050"
    unit: str = "BAPPEDA"

    def format(self, sequence: int, year: int) -> str:
        return self.number_pattern.format(classification=self.classification, sequence=sequence,
                                          unit=self.unit, year=year)


class LetterBook(Aggregate):
    @staticmethod
    def create_id(year: int, **_: Any) -> UUID:
        return uuid5(NAMESPACE_URL, f"sop-letter-book/{year}")

    @event("Opened")
    def __init__(self, year: int):
        self.year = year
        self.last_sequence = 0
        self.numbered_cases: dict[str, int] = {}

    def number(self, case_id: str, sop: tuple[str, int], signed_at: datetime, settings: NumberingSettings) -> str:
        """The case's letter number; the same one again if the case was numbered before."""
        if case_id not in self.numbered_cases:
            sequence = self.last_sequence + 1
            self._numbered(case_id=case_id, sop_id=sop[0], sop_version=sop[1], sequence=sequence,
                           number=settings.format(sequence, self.year), signed_at=signed_at)
        return self.numbered_cases[case_id]

    @event("LetterNumbered")
    def _numbered(self, case_id: str, sop_id: str, sop_version: int, sequence: int, number: str,
                  signed_at: datetime) -> None:
        self.last_sequence = sequence
        self.numbered_cases[case_id] = number


def year_of(at: datetime) -> int:
    return at.astimezone(AGENCY_ZONE).year
