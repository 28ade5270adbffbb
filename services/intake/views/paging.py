"""Bounded, filtered, stably ordered reads of intake's read models: every list answers a page.

Each query fetches `limit + 1` rows after the cursor's sort key, so the caller knows whether a next
page exists. Visibility (which cases a credential may see) is part of the WHERE clause, never a
filter applied after a page is cut, so a page is never short for a reason the caller cannot see.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.sql.db import Db

STATUS = ("CASE WHEN r.outcome IS NOT NULL THEN 'closed' WHEN r.paused_since IS NOT NULL THEN 'paused' "
          "WHEN r.current_step IS NOT NULL THEN 'open' ELSE 'submitted' END")
# Overdue: the SLA monitor escalated the step the case is at.
OVERDUE = "EXISTS (SELECT 1 FROM escalations e WHERE e.case_id = r.case_id AND e.step = r.current_step)"
REGISTER_KEY = ("r.registered_on", "r.register_number", "r.case_id")
AUDIT_KEY = ("recorded_at", "source", "position")
ESCALATION_KEY = ("e.raised_at", "e.source", "e.position")


@dataclass(frozen=True)
class CaseFilter:
    """Which register rows a query may return: the caller's visibility, then the filters asked for."""

    owner: str | None = None               # only cases this credential submitted
    sops: frozenset[str] | None = None     # only cases of these SOPs (None: any)
    sop_id: str | None = None
    status: str | None = None
    registered_from: date | None = None
    registered_to: date | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, args = ["r.register_number IS NOT NULL"], []
        if self.owner is not None:
            clauses.append("r.submitted_by = ?")
            args.append(self.owner)
        if self.sops is not None:
            clauses.append(f"r.sop_id IN ({', '.join('?' * len(self.sops)) or 'NULL'})")
            args.extend(sorted(self.sops))
        for column, value in (("r.sop_id", self.sop_id), (STATUS, self.status)):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        if self.registered_from is not None:
            clauses.append("r.registered_on >= ?")
            args.append(self.registered_from.isoformat())
        if self.registered_to is not None:
            clauses.append("r.registered_on <= ?")
            args.append(self.registered_to.isoformat())
        return " AND ".join(clauses), args


def after_clause(key: tuple[str, ...], after: list[Any] | None) -> tuple[str, list[Any]]:
    if after is None:
        return "", []
    return f" AND ({', '.join(key)}) > ({', '.join('?' * len(key))})", list(after)


def register_page(db: Db, rows: CaseFilter, limit: int, after: list[Any] | None,
                  roles: tuple[str, ...] | None = None, overdue: bool | None = None) -> list[dict[str, Any]]:
    """Register rows in book order; with `roles`, only cases waiting at one of them (the inbox)."""
    where, args = rows.where()
    if roles is not None:
        where += f' AND r."current_role" IN ({", ".join("?" * len(roles)) or "NULL"}) AND r.outcome IS NULL'
        args.extend(roles)
    if overdue is not None:
        where += f" AND {'' if overdue else 'NOT '}{OVERDUE}"
    more, more_args = after_clause(REGISTER_KEY, after)
    sql = (f"SELECT r.*, {STATUS} AS status, {OVERDUE} AS overdue FROM register r WHERE {where}{more} "
           f"ORDER BY {', '.join(REGISTER_KEY)} LIMIT ?")
    return [dict(r) for r in db.execute(sql, [*args, *more_args, limit + 1])]


def escalation_page(db: Db, rows: CaseFilter, roles: tuple[str, ...], limit: int,
                    after: list[Any] | None) -> list[dict[str, Any]]:
    """Escalations to these roles of cases still open, oldest first."""
    where, args = rows.where()
    more, more_args = after_clause(ESCALATION_KEY, after)
    sql = (f"SELECT e.* FROM escalations e JOIN register r USING (case_id) WHERE {where} AND r.outcome IS NULL "
           f"AND e.to_role IN ({', '.join('?' * len(roles)) or 'NULL'}){more} "
           f"ORDER BY {', '.join(ESCALATION_KEY)} LIMIT ?")
    return [dict(r) for r in db.execute(sql, [*args, *roles, *more_args, limit + 1])]


def audit_page(db: Db, case_id: str, limit: int, after: list[Any] | None) -> list[dict[str, Any]]:
    more, more_args = after_clause(AUDIT_KEY, after)
    sql = f"SELECT * FROM audit WHERE case_id = ?{more} ORDER BY {', '.join(AUDIT_KEY)} LIMIT ?"
    return [dict(r) for r in db.execute(sql, [case_id, *more_args, limit + 1])]
