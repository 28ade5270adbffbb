"""The working calendar as settings: hours, Ramadan, holidays, and a file of decrees the package lacks.

Every setting reads from the environment with the prefix SOP_CALENDAR_, structures as JSON, e.g.
  SOP_CALENDAR_HOURS='{"mon": [["07:30", "12:00"], ["13:00", "16:00"]], ...}'  (a day left out is closed)
  SOP_CALENDAR_RAMADAN='{"2026": ["2026-02-19", "2026-03-20"]}'
  SOP_CALENDAR_OVERRIDES_FILE=/etc/sop-calendar-overrides.yaml  (see deploy/calendar-overrides.example.yaml)

`build_calendar(settings, around)` turns them into a pure `WorkingCalendar` for the years
around a date the caller gives (never the wall clock here): national holidays and cuti
bersama from the `holidays` package (Indonesia), then the override file's removals and
additions, then the Ramadan periods.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.agency import agency

import holidays
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.working_calendar import (
    CIVIL_SERVICE_HOURS, RAMADAN_HOURS, RamadanPeriod, WeekHours, WorkingCalendar, week_hours)

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
HoursSetting = dict[Weekday, list[tuple[dt.time, dt.time]]]
Period = tuple[dt.date, dt.date]

# Ramadan as the Indonesian government fixed it (Kemenag's sidang isbat), keyed by the year of its
# Eid al-Fitr; each ends the day before the `holidays` package's Eid al-Fitr (2025-03-31, 2026-03-21,
# 2027-03-10), and each is Eid al-Fitr minus 30 days .. minus 1 day, which is also how a year not
# listed here is derived. 2027 is an estimate until its isbat; correct it here or in the override file.
RAMADAN_PERIODS: dict[int, Period] = {
    2025: (dt.date(2025, 3, 1), dt.date(2025, 3, 30)),
    2026: (dt.date(2026, 2, 19), dt.date(2026, 3, 20)),
    2027: (dt.date(2027, 2, 8), dt.date(2027, 3, 9)),
}
RAMADAN_DAYS = 30  # a Ramadan has 29 or 30 days; a derived one assumes 30, so its first day may be a day early


class CalendarError(ValueError):
    """The calendar's settings or override file cannot be used; the message names the bad entry."""


def hours_setting(hours: WeekHours) -> dict[str, list[tuple[dt.time, dt.time]]]:
    return {DAY_KEYS[weekday]: [tuple(span) for span in spans] for weekday, spans in hours.items()}


def _week(hours: HoursSetting) -> WeekHours:
    return week_hours({DAY_KEYS.index(day): [tuple(span) for span in spans] for day, spans in hours.items()})


def _check_period(year: int, period: Period) -> Period:
    first, last = period
    if last < first:
        raise ValueError(f"ramadan {year}: {first} .. {last} ends before it starts")
    if (last - first).days + 1 > RAMADAN_DAYS:
        raise ValueError(f"ramadan {year}: {first} .. {last} is longer than {RAMADAN_DAYS} days")
    if year not in (first.year, last.year):
        raise ValueError(f"ramadan {year}: {first} .. {last} is not in {year}")
    return period


class CalendarSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOP_CALENDAR_", env_file=".env", extra="ignore")

    # The agency's zone (shared/sop/agency.yaml): the one zone of register dates, numbers and working time.
    zone: str = Field(default_factory=lambda: agency().zone)
    # Opening spans per weekday; the gaps are breaks. Perpres 21/2023 fixes the breaks' length
    # (60 minutes, Friday 90), not their position: the defaults put them at 12:00 and 11:30.
    hours: HoursSetting = Field(default_factory=lambda: hours_setting(CIVIL_SERVICE_HOURS))
    ramadan_hours: HoursSetting = Field(default_factory=lambda: hours_setting(RAMADAN_HOURS))
    ramadan: dict[int, Period] = Field(default_factory=lambda: dict(RAMADAN_PERIODS))
    derive_ramadan: bool = True  # a covered year missing from `ramadan`: Eid al-Fitr - 30 days .. - 1 day
    holiday_categories: tuple[str, ...] = ("public", "government")  # government: cuti bersama
    holiday_language: str = "id"
    years: tuple[int, ...] | None = None  # None: the year of `around` and `years_around` either side
    years_around: int = Field(1, ge=0)
    overrides_file: Path | None = None

    @field_validator("zone")
    @classmethod
    def _zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {zone!r}") from error
        return zone

    @field_validator("hours", "ramadan_hours")
    @classmethod
    def _hours(cls, hours: HoursSetting) -> HoursSetting:
        _week(hours)
        return hours

    @field_validator("ramadan")
    @classmethod
    def _ramadan(cls, periods: dict[int, Period]) -> dict[int, Period]:
        return {year: _check_period(year, period) for year, period in periods.items()}

    def covered_years(self, around: dt.date) -> tuple[int, ...]:
        if self.years:
            return tuple(sorted(set(self.years)))
        return tuple(range(around.year - self.years_around, around.year + self.years_around + 1))


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    basis: str = Field(min_length=1, description="The decree, e.g. 'SKB 3 Menteri No. .../2026'")


class Addition(_Entry):
    name: str = Field(min_length=1)


class Removal(_Entry):
    pass


class Overrides(BaseModel):
    """The override file: closures the `holidays` package lacks, ones a decree revoked, Ramadan dates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    add: list[Addition] = []
    remove: list[Removal] = []
    ramadan: dict[int, Period] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Overrides:
        for year, period in self.ramadan.items():
            _check_period(year, period)
        added = {entry.date for entry in self.add}
        for i, entry in enumerate(self.remove):
            if entry.date in added:
                raise ValueError(f"remove[{i}]: {entry.date} is also in add")
        return self


class _TextDates(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so pydantic checks them and names the entry (2026-02-30)."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load_overrides(path: Path) -> Overrides:
    """Reads and checks the override file; a CalendarError names the file and the bad entry."""
    try:
        raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_TextDates)  # noqa: S506 (a SafeLoader)
    except OSError as error:
        raise CalendarError(f"calendar override file {path}: cannot be read ({error.strerror or error})") from error
    except (yaml.YAMLError, ValueError) as error:
        raise CalendarError(f"calendar override file {path}: not valid YAML ({error})") from error
    try:
        return Overrides.model_validate(raw or {})
    except ValidationError as error:
        raise CalendarError(f"calendar override file {path}: " + "; ".join(
            _problem(raw, problem) for problem in error.errors(include_url=False))) from error


def _problem(raw: Any, problem: dict[str, Any]) -> str:
    loc = problem["loc"]
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
    message = problem["msg"].removeprefix("Value error, ")
    entry = raw
    for part in loc[:2]:  # the whole entry, e.g. add[1], so its date and name show
        try:
            entry = entry[part]
        except (KeyError, IndexError, TypeError):
            return f"{where or 'file'}: {message}"
    return f"{where}: {message} (entry: {entry!r})"


def build_calendar(settings: CalendarSettings, around: dt.date) -> WorkingCalendar:
    """The calendar for the years around `around` (the caller's today, injected)."""
    years = settings.covered_years(around)
    try:
        public = holidays.country_holidays("ID", years=years, categories=settings.holiday_categories,
                                           language=settings.holiday_language)
    except (NotImplementedError, ValueError) as error:
        raise CalendarError(f"holidays for Indonesia: {error}") from error
    closed = dict(public)
    overrides = load_overrides(settings.overrides_file) if settings.overrides_file else Overrides()
    where = settings.overrides_file
    for i, entry in enumerate(overrides.remove):
        if entry.date.year not in years:
            continue
        if entry.date not in closed:
            raise CalendarError(f"calendar override file {where}: remove[{i}]: {entry.date} is not a holiday "
                                f"or cuti bersama in the holidays package, so there is nothing to remove")
        del closed[entry.date]
    for entry in overrides.add:
        if entry.date.year in years:
            closed[entry.date] = f"{entry.name} ({entry.basis})"
    try:
        return WorkingCalendar(zone=ZoneInfo(settings.zone), hours=_week(settings.hours), closed=closed, years=years,
                               ramadan=_ramadan(settings, overrides, years))
    except ValueError as error:  # e.g. two Ramadan periods that overlap
        raise CalendarError(f"calendar settings: {error}") from error


def _ramadan(settings: CalendarSettings, overrides: Overrides, years: tuple[int, ...]) -> tuple[RamadanPeriod, ...]:
    """Periods from the override file, then the settings, then (if allowed) derived from Eid al-Fitr."""
    hours = _week(settings.ramadan_hours)
    chosen = {**settings.ramadan, **overrides.ramadan}
    periods = [RamadanPeriod(first, last, hours) for _, (first, last) in sorted(chosen.items())
               if first.year in years or last.year in years]
    if settings.derive_ramadan:
        for first, last in derived_ramadan(years):
            if not any(first <= p.last and p.first <= last for p in periods):
                periods.append(RamadanPeriod(first, last, hours))
    return tuple(periods)


def derived_ramadan(years: tuple[int, ...]) -> list[Period]:
    """Ramadan periods touching `years`: Eid al-Fitr (the `holidays` package) minus 30 days .. minus 1 day."""
    found = holidays.country_holidays("ID", years=range(min(years), max(years) + 2), language="en_US")
    eids = sorted(day for day, name in found.items()
                  if any(part.strip().removesuffix("(estimated)").strip() == "Eid al-Fitr" for part in name.split(";")))
    periods = [(eid - dt.timedelta(days=RAMADAN_DAYS), eid - dt.timedelta(days=1)) for eid in eids]
    return [(first, last) for first, last in periods if first.year in years or last.year in years]
