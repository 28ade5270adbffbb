"""The SLA read model: the facts of each case as published, and the figures derived from them.

Facts (routing's visits, completions, closings, pauses, resumes, extensions; the SLA
service's own at-risk and breach alerts) are stored as they arrive. Figures (due times,
working time used, on time, the case clocks) are derived from a case's facts with the
current WorkingCalendar whenever one of its facts arrives, and for every case, open or
closed, by `recompute(calendar)`. A derivation depends only on the set of facts, so any
delivery order, a rebuild, or a recompute with the same calendar gives the same rows.
"""
from __future__ import annotations

from functools import lru_cache

from shared.working_calendar import WorkingCalendar
from services.sla.derive import case_clock_row, utc, visit_row
from services.sla.queries import SlaQueries
from shared.contracts import EventMessage
from shared.events import (
    CaseClosed, CaseOpened, CasePaused, CaseResumed, DeadlineExtended, StepAtRisk, StepBreached, StepCompleted, typed,
)
from shared.projections.tracked import TrackedStore
from shared.settings import Settings
from shared.sql.place import Place, store_place
from shared.sop.loader import SopLibrary

# A new version is a new file and a new consumer group: a changed read model rebuilds from event 1.
SLA_VIEWS_VERSION = 2
ALERTS = {"StepAtRisk": "at_risk", "StepBreached": "breached"}
HOLDS = {"CasePaused": "pause", "CaseResumed": "resume", "DeadlineExtended": "extend"}
SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
  case_id TEXT PRIMARY KEY, opened_by INTEGER, sop_id TEXT, sop_version INTEGER, opened_at TEXT);
CREATE TABLE IF NOT EXISTS visits (
  case_id TEXT, opened_by INTEGER, sop_id TEXT, sop_version INTEGER, step INTEGER, role TEXT, started_at TEXT,
  standard TEXT, standard_seconds REAL, due_at TEXT, completed_at TEXT, working_seconds REAL, on_time INTEGER,
  PRIMARY KEY (case_id, opened_by));
CREATE INDEX IF NOT EXISTS visits_open ON visits (completed_at);
CREATE TABLE IF NOT EXISTS completions (
  case_id TEXT, position INTEGER, step INTEGER, completed_at TEXT, PRIMARY KEY (case_id, position));
CREATE TABLE IF NOT EXISTS closings (
  case_id TEXT, position INTEGER, closed_at TEXT, outcome TEXT, PRIMARY KEY (case_id, position));
CREATE TABLE IF NOT EXISTS holds (
  case_id TEXT, position INTEGER, kind TEXT, at TEXT, reason TEXT, extra_days INTEGER,
  PRIMARY KEY (case_id, position));
CREATE TABLE IF NOT EXISTS alerts (
  case_id TEXT, visit INTEGER, kind TEXT, at TEXT, PRIMARY KEY (case_id, visit, kind));
CREATE TABLE IF NOT EXISTS case_clocks (
  case_id TEXT PRIMARY KEY, sop_id TEXT, sop_version INTEGER, opened_at TEXT, sop_standard TEXT, sop_due_at TEXT,
  statutory_basis TEXT, statutory_due_at TEXT, extended INTEGER, extensions_ignored INTEGER, paused_since TEXT,
  closed_at TEXT, outcome TEXT, sop_on_time INTEGER, statutory_on_time INTEGER);
CREATE TABLE IF NOT EXISTS derived_with (calendar_digest TEXT);
"""
SNAPSHOT_TABLES = ("cases", "visits", "completions", "closings", "holds", "alerts", "case_clocks")


def sla_views_place(settings: Settings) -> Place:
    return store_place(settings, f"sla-views-v{SLA_VIEWS_VERSION}")


class SlaStore(SlaQueries, TrackedStore):
    schema = SCHEMA

    def __init__(self, place: Place, library: SopLibrary, calendar: WorkingCalendar | None = None):
        super().__init__(place)
        self.library, self.calendar = library, calendar or WorkingCalendar()
        # A visit's figures depend only on its inputs (the calendar among them), and most inputs stop
        # changing once a visit is completed: remembering them makes re-deriving a case cheap. Bounded by the
        # cases in work, not in the store: an entry holds ~1 KiB, and 50,000 of them took the service past
        # 200 MB while 100,000 cases came in (make bench-scale); 8,192 cover some 500 cases of 15 visits.
        self._visit_row = lru_cache(8_192)(visit_row)
        self._case_clock_row = lru_cache(10_000)(  # keyed by (sop id, version): a definition is not hashable
            lambda calendar, sop, *facts: case_clock_row(calendar, self.library.get(*sop), *facts))
        stored = self.db.execute("SELECT calendar_digest FROM derived_with").fetchone()
        if stored is None or stored[0] != self.calendar.digest():  # rows left by a run with another calendar
            self.recompute(self.calendar)

    def fold(self, m: EventMessage) -> None:
        m = typed(m)
        if isinstance(m, (StepAtRisk, StepBreached)):
            # Order-free: should two alerts of a kind ever exist for one visit, the earliest instant wins.
            self.db.execute("INSERT INTO alerts VALUES (?, ?, ?, ?) ON CONFLICT (case_id, visit, kind) DO UPDATE "
                            "SET at = CASE WHEN alerts.at <= excluded.at THEN alerts.at ELSE excluded.at END",
                            (m.case_id, m.data.visit, ALERTS[m.type], utc(m.occurred_at)))
            return
        if m.source != "routing":
            return
        if isinstance(m, CaseOpened):
            self.db.execute("INSERT INTO cases VALUES (?, ?, ?, ?, ?)",
                            (m.case_id, m.position, m.sop_id, m.sop_version, utc(m.occurred_at)))
            self._open(m, m.data.current_step)
        elif isinstance(m, StepCompleted):
            self.db.execute("INSERT INTO completions VALUES (?, ?, ?, ?)",
                            (m.case_id, m.position, m.step, utc(m.occurred_at)))
            if m.data.next_step is not None:
                self._open(m, m.data.next_step)
        elif isinstance(m, CaseClosed):
            self.db.execute("INSERT INTO closings VALUES (?, ?, ?, ?)",
                            (m.case_id, m.position, utc(m.occurred_at), m.data.outcome))
        elif isinstance(m, (CasePaused, CaseResumed, DeadlineExtended)):
            reason = m.data.note if isinstance(m, CaseResumed) else m.data.reason
            extra = m.data.extra_working_days if isinstance(m, DeadlineExtended) else None
            self.db.execute("INSERT INTO holds VALUES (?, ?, ?, ?, ?, ?)",
                            (m.case_id, m.position, HOLDS[m.type], utc(m.occurred_at), reason, extra))
        else:
            return
        self._derive(m.case_id)

    def _open(self, m: EventMessage, number: int) -> None:
        step = self.library.get(m.sop_id, m.sop_version).step(number)
        if step is None:
            raise LookupError(f"{m.sop_id} v{m.sop_version} has no step {number}")
        self.db.execute("INSERT INTO visits (case_id, opened_by, sop_id, sop_version, step, role, started_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (m.case_id, m.position, m.sop_id, m.sop_version, number, step.role, utc(m.occurred_at)))

    def recompute(self, calendar: WorkingCalendar) -> None:
        """Derives every visit and case clock again, open and closed, with `calendar`, in one transaction."""
        with self.db.transaction():
            self.calendar = calendar
            for (case_id,) in self.db.execute("SELECT case_id FROM visits UNION SELECT case_id FROM cases "
                                              "UNION SELECT case_id FROM holds ORDER BY 1").fetchall():
                self._derive(case_id)
            self.db.execute("DELETE FROM derived_with")
            self.db.execute("INSERT INTO derived_with VALUES (?)", (calendar.digest(),))

    def _derive(self, case_id: str) -> None:
        pauses = tuple(self.pauses(case_id))
        completions = self.db.execute("SELECT position, step, completed_at FROM completions WHERE case_id = ? "
                                      "ORDER BY position", (case_id,)).fetchall()
        for visit in self.db.execute("SELECT * FROM visits WHERE case_id = ? ORDER BY opened_by",
                                     (case_id,)).fetchall():
            done = next((c for c in completions if c["position"] > visit["opened_by"]), None)
            if done is not None and done["step"] != visit["step"]:
                done = None  # the message between them has not arrived yet (a late, reclaimed delivery)
            sop = self.library.get(visit["sop_id"], visit["sop_version"])
            row = self._visit_row(self.calendar, sop.step(visit["step"]).standard_time, visit["started_at"],
                                  done["completed_at"] if done else None, pauses)
            if all(visit[k] == v for k, v in row.items()):
                continue  # unchanged: spare the write
            self.db.execute(f"UPDATE visits SET {', '.join(f'{k} = ?' for k in row)} WHERE case_id = ? "
                            "AND opened_by = ?", (*row.values(), case_id, visit["opened_by"]))
        case = self.db.execute("SELECT * FROM cases WHERE case_id = ?", (case_id,)).fetchone()
        if case is None:
            return  # CaseOpened not here yet: no clock to derive
        closing = self.db.execute("SELECT closed_at, outcome FROM closings WHERE case_id = ? ORDER BY position "
                                  "LIMIT 1", (case_id,)).fetchone()
        extensions = tuple(r["extra_days"] for r in self.db.execute(
            "SELECT extra_days FROM holds WHERE case_id = ? AND kind = 'extend' ORDER BY position", (case_id,)))
        row = self._case_clock_row(self.calendar, (case["sop_id"], case["sop_version"]), case_id, case["opened_at"],
                                   tuple(closing) if closing else None, extensions, pauses)
        self.db.execute(f"INSERT INTO case_clocks ({', '.join(row)}) VALUES ({', '.join('?' * len(row))}) "
                        f"ON CONFLICT (case_id) DO UPDATE SET {', '.join(f'{k} = excluded.{k}' for k in row)}",
                        tuple(row.values()))

    def snapshot(self) -> dict[str, list[tuple]]:
        """Every row of every table in a fixed order: what a rebuild is compared with."""
        return {table: self.db.tuples(f"SELECT * FROM {table} ORDER BY 1, 2, 3")
                for table in SNAPSHOT_TABLES}
