"""Path and query parameters more than one service (and the gateway) take, typed and bounded before use.

A case id is a UUID: anything else (`..`, `%2E%2E`, control characters) is a 422 before a
store is asked. A period is two real days in a range the calendar arithmetic can add a day to
(`date.max + 1 day` would be a 500), the end not before the start.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Path, Query

from shared.http.errors import ApiError

CaseId = Annotated[UUID, Path(description="The case's id, a UUID")]

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included


def period(start: Annotated[date, Query(alias="from", ge=FIRST_DAY, le=LAST_DAY,
                                        description="First day, YYYY-MM-DD (Asia/Pontianak)")],
           end: Annotated[date, Query(alias="to", ge=FIRST_DAY, le=LAST_DAY,
                                      description="Last day, YYYY-MM-DD (included)")]) -> Period:
    """`?from=&to=` as a Period; 422 `invalid_period` when it ends before it starts.

    No bound on its length: what an answer holds is bounded by what was recorded, not by the days."""
    if end < start:
        raise ApiError(422, f"the period ends ({end}) before it starts ({start})", code="invalid_period")
    return Period(start, end)


PeriodQuery = Annotated[Period, Depends(period)]
