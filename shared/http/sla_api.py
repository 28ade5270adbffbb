"""The SLA API's answers: a case's clocks and step visits, and the capaian kinerja report.

Here, not in services/sla, so the gateway declares the same models in its OpenAPI without importing
a service. Instants are UTC; the report's days are Asia/Pontianak's. The case models mirror the read
model's CaseClock and Visit (a unit test keeps their fields the same).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

ReportFormat = Literal["json", "csv", "png", "pdf"]
ReportTable = Literal["langkah", "monitoring"]  # csv only: per step, or the monitoring table
OnTimeTarget = Annotated[float, Query(gt=0, le=1, description="On-time share an SOP must reach to run well")]


class CaseClockView(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    case_id: str
    sop_id: str
    sop_version: int
    opened_at: datetime
    sop_standard: str = Field(description='The SOP\'s total standard time, e.g. "1 hari + 7 jam"')
    sop_due_at: datetime
    statutory_basis: str | None = Field(description='e.g. "UU 14/2008 pasal 22"; null without a statutory clock')
    statutory_due_at: datetime | None
    extended: bool
    extensions_ignored: int
    paused_since: datetime | None = Field(description="Set while paused: the due times are then lower bounds")
    closed_at: datetime | None
    outcome: str | None
    sop_on_time: bool | None
    statutory_on_time: bool | None


class StepVisitView(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    case_id: str
    sop_id: str
    sop_version: int
    step: int
    role: str
    visit: int = Field(description="Position of the event that made the step current (a step may recur)")
    started_at: datetime
    standard: str = Field(description='The SOP\'s words, e.g. "0,5 jam"')
    standard_seconds: float
    due_at: datetime
    completed_at: datetime | None
    working_seconds: float | None = Field(description="Working time used, paused time left out; null while open")
    on_time: bool | None
    at_risk_at: datetime | None
    breached_at: datetime | None
    paused_since: datetime | None = None


class CaseSla(BaseModel):
    case_id: str
    clock: CaseClockView | None = Field(description="Null until the case's opening has reached the SLA service")
    visits: list[StepVisitView]


Judgement = Literal["Ya", "Tidak"]


class Tally(BaseModel):
    sop_id: str
    count: int  # visits completed in the period
    on_time: int
    on_time_pct: float | None  # of those completed
    open_at_end: int
    overdue_at_end: int  # open at the period's end and past due


class StepRow(Tally):
    step: int
    role: str
    kegiatan: str = Field(description="The step's text in the SOP")
    pelaksana: str = Field(description="The role's title in the agency file")
    standard: str  # the SOP's words, e.g. "0,5 jam"
    standard_hours: float | None
    median_hours: float | None
    p90_hours: float | None


class SopTotal(Tally):
    title: str
    cases: int
    steps_below_floor: int


class MonitoringStep(BaseModel):
    """One row of the Formulir Monitoring Pelaksanaan SOP: one step the agency carries out."""
    no: int
    step: int
    kegiatan: str
    role: str
    pelaksana: str
    mutu_baku_waktu: str = Field(description='The standard time, the SOP\'s words: "0,5 jam", "1 hari"')
    count: int = Field(description="Completed in the period")
    on_time: int
    overdue_at_end: int = Field(description="Still open at the period's end past the standard: counted as misses")
    capaian_pct: float | None = Field(description="on_time / (count + overdue_at_end), in %; null when neither")
    capaian: str = Field(description='capaian_pct as printed: "80 %", "66,7 %"; "—" when null')
    penilaian: Judgement | None = Field(description="Meets the standard (capaian >= target); null: not run")
    catatan: str
    tindakan: str


class MonitoringRow(BaseModel):
    """One SOP of the monitoring form: its verdict (Ya only when every step run meets the standard)."""
    no: int
    sop_id: str
    prosedur: str
    dilaksanakan: Judgement
    capaian_pct: float | None
    capaian: str
    catatan: str
    tindakan: str
    langkah: list[MonitoringStep] = Field(description="The steps in the SOP's order; the applicant's are left out")


class Kop(BaseModel):
    """The letterhead printed above the form (SOP_LETTERHEAD_*)."""
    government: str
    agency: str
    address: str
    contact: str
    city: str
    short_name: str


class Signatory(BaseModel):
    """The penilai who signs the form (the staff file, SOP_STAFF_FILE)."""
    jabatan: str
    name: str
    nip: str
    rank: str | None
    example: bool = Field(description="True while the staff file holds placeholder names")


class Report(BaseModel):
    """Capaian kinerja of a period (services/sla/report.py says how it is counted)."""
    period_from: date  # dates in Asia/Pontianak
    period_to: date
    monitoring_date: date = Field(description="The day the report was made (the agency's zone)")
    on_time_target: float
    step_floor: float
    kop: Kop
    penilai: Signatory
    rows: list[StepRow]
    totals: list[SopTotal]
    monitoring: list[MonitoringRow]
