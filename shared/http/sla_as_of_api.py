"""The SLA answer `?as_of=` an instant: the clocks as they stood then, judged at that instant.

The same figures as the live answer (shared/http/sla_api.py), derived from the events recorded by then
with the working calendar in force then, plus what only an instant can tell: the working time used by
then and whether the standard had run out by then.
"""
from __future__ import annotations

from datetime import datetime

from pydantic import Field

from shared.http.sla_api import CaseClockView, CaseSla, StepVisitView


class CaseClockAsOf(CaseClockView):
    elapsed_seconds: float = Field(description="Working time from opening to closing or as_of, paused time left out")
    sop_overdue: bool = Field(description="The SOP's total standard had run out by closing or as_of")
    statutory_overdue: bool | None = Field(description="The statutory deadline had passed by closing or as_of")


class StepVisitAsOf(StepVisitView):
    elapsed_seconds: float = Field(description="Working time used by completion or as_of, paused time left out")
    overdue: bool = Field(description="Completed late, or still open past its due time at as_of")


class CaseSlaAsOf(CaseSla):
    as_of: datetime = Field(description="The instant answered for (UTC): events recorded by then")
    calendar_digest: str = Field(description="The working calendar the figures were derived with (the one in force then)")
    clock: CaseClockAsOf | None  # type: ignore[assignment]
    visits: list[StepVisitAsOf]  # type: ignore[assignment]
