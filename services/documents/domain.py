"""The CaseFile: every output record (the SOP's `outputs`) the steps of one case produced.

Rendering the records into documents comes later; for now the file keeps the
facts a rendered buku register, lembar koordinasi or surat jawaban is made from.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class CaseFile(Aggregate):
    @staticmethod
    def create_id(case_id: str, **_: Any) -> UUID:
        # Derived from the case id, so any replica finds the same file without a lookup table.
        return uuid5(NAMESPACE_URL, f"sop-case-file:{case_id}")

    @event("Opened")
    def __init__(self, case_id: str, sop_id: str, sop_version: int):
        self.case_id = case_id
        self.sop_id = sop_id
        self.sop_version = sop_version
        self.records: list[dict[str, Any]] = []
        self.source_event_ids: set[str] = set()

    def record_step_outputs(
        self,
        *,
        step: int,
        outputs: tuple[str, ...],
        actor: dict[str, str],
        decision: str | None,
        note: str | None,
        occurred_at: datetime,
        recorded_at: datetime,
        source_event_id: str,
        letter_number: str | None = None,
    ) -> None:
        """One record per output of the step; a completion already filed is not filed twice."""
        # Tracking already stops a redelivered message; this also stops the same step
        # completion arriving again under another position (e.g. a republished stream).
        if source_event_id in self.source_event_ids:
            return
        for output in outputs:
            self._output_recorded(
                case_id=self.case_id, sop_id=self.sop_id, sop_version=self.sop_version, step=step,
                output=output, actor=actor, decision=decision, note=note, occurred_at=occurred_at,
                recorded_at=recorded_at, source_event_id=source_event_id, letter_number=letter_number,
            )

    @event("OutputRecorded")
    def _output_recorded(
        self,
        case_id: str,
        sop_id: str,
        sop_version: int,
        step: int,
        output: str,
        actor: dict[str, str],
        decision: str | None,
        note: str | None,
        occurred_at: datetime,
        recorded_at: datetime,
        source_event_id: str,
        letter_number: str | None = None,  # added later: files recorded before it have none
    ) -> None:
        self.source_event_ids.add(source_event_id)
        self.records.append({
            "step": step, "output": output, "actor": actor, "decision": decision, "note": note,
            "occurred_at": occurred_at, "recorded_at": recorded_at, "source_event_id": source_event_id,
            "letter_number": letter_number,
        })
