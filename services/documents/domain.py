"""The CaseFile: every fact of a case routing published, and every document revision issued from them.

Facts are kept by the case's own version (routing's aggregate version), so a file that got two
facts out of order (two documents processes, a reclaimed delivery) still issues its documents in
the case's order: documents are issued only over an unbroken run of versions. A revision records
everything that fixes its bytes (how many versions it was made from, `facts_through`, the digest of
its fields, the template, the letterhead and the URL its QR code prints) and is rendered to PDF only
when first asked for; `DocumentRendered` then records the SHA-256 of those bytes.
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
        self.facts: dict[int, dict[str, Any]] = {}
        self.source_event_ids: set[str] = set()
        self.documents: dict[str, list[dict[str, Any]]] = {}  # kind -> its revisions, oldest first
        self.erased_at: datetime | None = None  # the applicant's personal data was erased (intake's event)

    @event("FactRecorded")
    def record(self, version: int, source_event_id: str, fact: dict[str, Any]) -> None:
        self.facts[version] = fact
        self.source_event_ids.add(source_event_id)

    @event("PersonalDataErased")
    def erase(self, erased_at: datetime, source_event_id: str) -> None:
        """From here on every document of the file is built with the placeholder where the data was."""
        self.erased_at = erased_at
        self.source_event_ids.add(source_event_id)

    def next_version(self) -> int:
        """For a message without its case version (published before versions were carried)."""
        return max(self.facts, default=0) + 1

    def contiguous_through(self) -> int:
        """The last version of an unbroken run from 1: documents have been issued over exactly these."""
        version = 0
        while version + 1 in self.facts:
            version += 1
        return version

    def facts_through(self, version: int) -> list[dict[str, Any]]:
        return [self.facts[v] for v in range(1, version + 1) if v in self.facts]

    def issue(self, **revision: Any) -> None:
        step = self.facts[revision["facts_through"]].get("step")
        self._issued(case_id=self.case_id, sop_id=self.sop_id, sop_version=self.sop_version, step=step, **revision)

    @event("DocumentIssued")
    def _issued(self, case_id: str, sop_id: str, sop_version: int, step: int | None, kind: str, title: str,
                revision: int, number: str | None, template: str, template_version: int, issued_at: datetime,
                facts_through: int, data_digest: str, source_event_id: str, verify_url: str,
                letterhead: dict[str, str], status: str = "issued") -> None:
        self.documents.setdefault(kind, []).append({
            "kind": kind, "title": title, "revision": revision, "number": number, "sha256": None, "size": None,
            "template": template, "template_version": template_version, "issued_at": issued_at, "step": step,
            "facts_through": facts_through, "data_digest": data_digest, "source_event_id": source_event_id,
            "verify_url": verify_url, "letterhead": letterhead, "status": status,
        })

    def rendered(self, kind: str, revision: int, sha256: str, size: int) -> None:
        recorded = self.revision(kind, revision)
        if recorded is None or recorded["sha256"] is not None:
            raise ValueError(f"{kind} revision {revision} is not an unrendered revision of case {self.case_id}")
        self._rendered(case_id=self.case_id, sop_id=self.sop_id, sop_version=self.sop_version, step=recorded["step"],
                       title=recorded["title"], kind=kind, revision=revision, sha256=sha256, size=size)

    @event("DocumentRendered")
    def _rendered(self, case_id: str, sop_id: str, sop_version: int, step: int | None, title: str, kind: str,
                  revision: int, sha256: str, size: int) -> None:
        self.documents[kind][revision - 1] |= {"sha256": sha256, "size": size}

    def latest(self, kind: str) -> dict[str, Any] | None:
        revisions = self.documents.get(kind)
        return revisions[-1] if revisions else None

    def revision(self, kind: str, revision: int) -> dict[str, Any] | None:
        revisions = self.documents.get(kind, [])
        return revisions[revision - 1] if 1 <= revision <= len(revisions) else None
