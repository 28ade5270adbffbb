"""What the SLA read model answers: visits (services/sla/visits.py), case clocks, and the
aggregates the Prometheus collector reads. Read-only; mixed into SlaStore."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from services.sla.clocks import CaseClock, Pause, pauses_of
from services.sla.derive import utc
from services.sla.visits import Visit
from shared.sql.db import Db

VISITS = """
SELECT v.*, r.at AS at_risk_at, b.at AS breached_at,
       CASE WHEN v.completed_at IS NULL THEN c.paused_since END AS paused_since
FROM visits v
LEFT JOIN alerts r ON r.case_id = v.case_id AND r.visit = v.opened_by AND r.kind = 'at_risk'
LEFT JOIN alerts b ON b.case_id = v.case_id AND b.visit = v.opened_by AND b.kind = 'breached'
LEFT JOIN case_clocks c ON c.case_id = v.case_id
"""


def _at(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


class SlaQueries:
    db: Db

    def visits(self, *, open_only: bool = False, started_from: datetime | None = None,
               started_until: datetime | None = None, case_id: str | None = None) -> list[Visit]:
        """Visits in (case, visit) order; `started_from` is included, `started_until` is not."""
        return list(self.each_visit(open_only=open_only, started_from=started_from, started_until=started_until,
                                    case_id=case_id))

    def each_visit(self, *, open_only: bool = False, started_from: datetime | None = None,
                   started_until: datetime | None = None, case_id: str | None = None) -> Iterator[Visit]:
        """As `visits`, one at a time: for a pass that keeps few of them (the monitor's tick over every open
        visit), so that 100,000 open cases are not all in memory at once."""
        where, args = [], []
        if open_only:
            where.append("v.completed_at IS NULL")
        if started_from is not None:  # the UTC text form orders as the instants do
            where, args = where + ["v.started_at >= ?"], args + [utc(started_from)]
        if started_until is not None:
            where, args = where + ["v.started_at < ?"], args + [utc(started_until)]
        if case_id is not None:
            where, args = where + ["v.case_id = ?"], args + [case_id]
        sql = VISITS + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY v.case_id, v.opened_by"
        return (self._visit(r) for r in self.db.execute(sql, args))

    @staticmethod
    def _visit(r: Any) -> Visit:
        return Visit(
            case_id=r["case_id"], sop_id=r["sop_id"], sop_version=r["sop_version"], step=r["step"], role=r["role"],
            visit=r["opened_by"], started_at=_at(r["started_at"]), standard=r["standard"],
            standard_seconds=r["standard_seconds"], due_at=_at(r["due_at"]), completed_at=_at(r["completed_at"]),
            working_seconds=r["working_seconds"], on_time=_flag(r["on_time"]), at_risk_at=_at(r["at_risk_at"]),
            breached_at=_at(r["breached_at"]), paused_since=_at(r["paused_since"]),
        )

    def case_clock(self, case_id: str) -> CaseClock | None:
        row = self.db.execute("SELECT * FROM case_clocks WHERE case_id = ?", (case_id,)).fetchone()
        return self.clock_of(row) if row else None

    def open_case_clocks(self) -> list[CaseClock]:
        """The clocks of every case not closed yet, in case order."""
        return list(self.each_open_case_clock())

    def each_open_case_clock(self) -> Iterator[CaseClock]:
        """As `open_case_clocks`, one at a time (a scrape counts them, and need not hold 100,000)."""
        return (self.clock_of(r) for r in self.db.execute(
            "SELECT * FROM case_clocks WHERE closed_at IS NULL ORDER BY case_id"))

    def pauses(self, case_id: str) -> list[Pause]:
        """The case's pauses in log order, each (paused at, resumed at or None)."""
        rows = self.db.execute("SELECT kind, at FROM holds WHERE case_id = ? AND kind IN ('pause', 'resume') "
                               "ORDER BY position", (case_id,))
        return pauses_of((r["kind"], datetime.fromisoformat(r["at"])) for r in rows)

    @staticmethod
    def clock_of(r: Any) -> CaseClock:
        return CaseClock(
            case_id=r["case_id"], sop_id=r["sop_id"], sop_version=r["sop_version"], opened_at=_at(r["opened_at"]),
            sop_standard=r["sop_standard"], sop_due_at=_at(r["sop_due_at"]), statutory_basis=r["statutory_basis"],
            statutory_due_at=_at(r["statutory_due_at"]), extended=bool(r["extended"]),
            extensions_ignored=r["extensions_ignored"], paused_since=_at(r["paused_since"]),
            closed_at=_at(r["closed_at"]), outcome=r["outcome"], sop_on_time=_flag(r["sop_on_time"]),
            statutory_on_time=_flag(r["statutory_on_time"]),
        )
