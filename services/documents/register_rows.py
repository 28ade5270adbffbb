"""The register book's rows for a period, as documents reads them to print the book.

The same register as intake's (shared.projections.register), kept in documents' own file so the
documents service prints the book without asking another service; it folds only the register.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from shared.contracts import EventMessage
from shared.projections.folds import register_changes
from shared.projections.register import REGISTER_VERSION, RegisterStore

GROUP = f"documents-register-v{REGISTER_VERSION}"


class RegisterRows(RegisterStore):
    def fold(self, m: EventMessage) -> None:
        self.fold_many([m])

    def fold_many(self, messages: list[EventMessage]) -> None:
        register = self.register_batch(messages)
        for m in messages:
            if changes := register_changes(m):
                register.apply(m.case_id, changes)
        register.write()

    def period(self, start: date, end: date) -> list[dict[str, Any]]:
        """Requests registered from `start` to `end` inclusive, by register number."""
        return [r for r in self.register() if start.isoformat() <= (r["registered_on"] or "") <= end.isoformat()]
