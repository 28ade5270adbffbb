"""Read-model rows as the API answers them: the columns a store keeps are not the contract."""
from __future__ import annotations

from typing import Any

from shared.pii.reveal import Revealer
from shared.sop.loader import SopLibrary


def register_row(row: dict[str, Any], library: SopLibrary, revealer: Revealer) -> dict[str, Any]:
    """The row as a caller who may read the case sees it: the applicant's name opened (the store keeps it
    sealed, as the events carry it), or "[dihapus]" once erased."""
    return {
        "case_id": row["case_id"], "register_number": row["register_number"],
        "registered_on": row["registered_on"],
        "applicant": {"name": revealer.text(row["applicant"]), "institution": revealer.text(row["institution"])},
        "sop_id": row["sop_id"], "sop_version": row["sop_version"], "subject": row["subject"],
        "status": row["status"], "current_step": row["current_step"], "current_role": row["current_role"],
        "last_step": row["last_step"], "last_decision": row["last_decision"], "outcome": row["outcome"],
        "closing_reason": closing_reason(row, library), "closed_on": row["closed_on"],
        "paused": row["paused_since"] is not None, "paused_since": row["paused_since"],
        "deadline_extended": bool(row["deadline_extended"]), "version": row["case_version"] or 0,
    }


def closing_reason(row: dict[str, Any], library: SopLibrary) -> str | None:
    if not row["outcome"] or row["last_step"] is None:
        return None
    step = library.get(row["sop_id"], row["sop_version"]).step(row["last_step"])
    decision = step.decision(row["last_decision"]) if step else None
    label = decision.label if decision else row["last_decision"]
    return f"{label}: {row['last_note']}" if row.get("last_note") else label


def current_step(row: dict[str, Any], library: SopLibrary) -> dict[str, Any] | None:
    if row["current_step"] is None or not row["sop_id"] or row["outcome"]:
        return None
    step = library.get(row["sop_id"], row["sop_version"]).step(row["current_step"])
    if step is None:
        return None
    return {
        "step": step.number, "role": step.role, "text": step.text, "text_en": step.text_en,
        "standard_time": step.standard_time.label(), "outputs": list(step.outputs),
        "decisions": [{"id": d.id, "label": d.label, "label_en": d.label_en, "requires": list(d.requires)}
                      for d in step.decisions],
    }


def audit_entry(row: dict[str, Any]) -> dict[str, Any]:
    actor = {"id": row["actor_id"], "name": row["actor_name"], "role": row["role"]} if row["actor_id"] else None
    return {k: row[k] for k in ("case_id", "source", "position", "event_id", "type", "sop_id", "sop_version",
                                "step", "decision", "note", "outcome", "occurred_at", "recorded_at")} | {"actor": actor}


def escalation(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("case_id", "step", "from_role", "to_role", "reason", "raised_at")}


def feed_event(row: dict[str, Any]) -> dict[str, Any]:
    """An event of the change feed: its audit line, its place in the feed and its case's register number."""
    return audit_entry(row) | {"seq": row["seq"], "register_number": row["register_number"]}
