"""What the SLA read model says about one visit of a step: the shape the monitor,
the metrics and the capaian kinerja report all read (`SlaStore.visits`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Visit:
    case_id: str
    sop_id: str
    sop_version: int
    step: int
    role: str
    visit: int  # routing position of the event that made the step current (SOP C visits 6 and 7 twice)
    started_at: datetime  # UTC
    standard: str  # the SOP's words, e.g. "0,5 jam"
    standard_seconds: float  # the standard time as working seconds of the calendar
    due_at: datetime  # started_at + standard in working time, paused time added
    completed_at: datetime | None
    working_seconds: float | None  # working time used, paused time excluded; None while open
    on_time: bool | None  # completed_at <= due_at; None while open
    at_risk_at: datetime | None  # the instant its StepAtRisk says the at-risk share was reached
    breached_at: datetime | None  # the instant its StepBreached says the standard ran out (= due_at then)
    # Set while the case is paused (open visits only): due_at is then a lower bound, as if resumed
    # where the pause began, and the clock stands still. A default, so existing constructors still work.
    paused_since: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.completed_at is None
