"""Audit replay of the documents: every revision ever issued, rendered again from the facts in the log.

A revision records how many of its case's facts it was made from; rendering those facts again
with the same template must give the same bytes. Any difference (a changed template, letterhead,
public URL or renderer) is listed with the SHA-256 on record and the one rendered now.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from services.documents.application import Documents
from services.documents.domain import CaseFile


@dataclass
class RerenderReport:
    revisions: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences


def issued_revisions(app: Documents, page: int = 500) -> list[tuple[str, str, int, str]]:
    """(case_id, kind, revision, sha256) of every DocumentIssued in the log, in the order stored."""
    found, start = [], 1
    while True:
        notifications = app.recorder.select_notifications(start=start, limit=page)
        for n in notifications:
            if n.topic.endswith("CaseFile.DocumentIssued"):
                e = app.mapper.to_domain_event(n)
                found.append((e.case_id, e.kind, e.revision, e.sha256))
        if len(notifications) < page:
            return found
        start = notifications[-1].id + 1


def rerender_all(app: Documents) -> RerenderReport:
    report, files = RerenderReport(), {}
    for case_id, kind, revision, sha256 in issued_revisions(app):
        case_file: CaseFile = files.get(case_id) or files.setdefault(case_id, app.case_file(case_id))
        again = app.issuer.rerender(case_file, kind, revision).sha256
        report.revisions += 1
        if again != sha256:
            report.differences.append(f"case {case_id} {kind} revision {revision}: recorded {sha256}, now {again}")
    return report
