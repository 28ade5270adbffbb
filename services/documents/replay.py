"""Audit replay of the documents: every revision ever issued, rendered again from the facts in the log.

A revision records how many of its case's facts it was made from and the digest of the fields they
made; building those fields again must give the same digest, and rendering them with the template,
letterhead and URL on record must give the bytes on record (for a revision already fetched: one
never fetched has no bytes on record yet). Any difference (changed facts, template, renderer) is
listed. A revision that held the personal data of an applicant since erased is counted as erased, not as a
difference: its record stays and the log can no longer make its bytes, by design. The renders are spread
over every core of the pool, in batches.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from services.documents.application import Documents
from services.documents.domain import CaseFile
from services.documents.issuing import Erased, NotReproducible
from services.documents.renderer import RenderJob, RenderPool


@dataclass
class RerenderReport:
    revisions: int = 0
    rendered: int = 0  # of them, fetched before: their bytes compared with the SHA-256 on record
    erased: int = 0  # of them, holding the data of an erased applicant: not made again
    differences: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences


def issued_revisions(app: Documents, page: int = 500) -> list[tuple[str, str, int]]:
    """(case_id, kind, revision) of every DocumentIssued in the log, in the order stored."""
    found, start = [], 1
    while True:
        notifications = app.recorder.select_notifications(start=start, limit=page)
        for n in notifications:
            if n.topic.endswith("CaseFile.DocumentIssued"):
                e = app.mapper.to_domain_event(n)
                found.append((e.case_id, e.kind, e.revision))
        if len(notifications) < page:
            return found
        start = notifications[-1].id + 1


def rerender_all(app: Documents, pool: RenderPool | None = None, batch: int = 256,
                 progress: Callable[[int, int], None] = lambda done, total: None) -> RerenderReport:
    """`progress(done, total)` as the renders come back: at a year's volume this runs for minutes."""
    pool = pool or app.issuer.pool
    report, files = RerenderReport(), {}
    revisions = issued_revisions(app)
    progress(0, len(revisions))
    for start in range(0, len(revisions), batch):
        jobs: list[RenderJob] = []
        recorded: list[tuple[str, str, int, str | None]] = []
        for case_id, kind, revision in revisions[start:start + batch]:
            case_file: CaseFile = files.get(case_id) or files.setdefault(case_id, app.case_file(case_id))
            try:
                jobs.append(app.issuer.rerender(case_file, kind, revision))
            except Erased:
                report.erased += 1
                continue
            except NotReproducible as exc:
                report.differences.append(str(exc))
                continue
            recorded.append((case_id, kind, revision, case_file.revision(kind, revision)["sha256"]))
        done = min(start + batch, len(revisions)) - len(recorded)  # the ones not reproducible are done
        for (case_id, kind, revision, sha256), pdf in zip(recorded, pool.render_all(jobs)):
            done += 1
            progress(done, len(revisions))
            again = hashlib.sha256(pdf).hexdigest()
            if sha256 is not None:
                report.rendered += 1
                if again != sha256:
                    report.differences.append(f"case {case_id} {kind} revision {revision}: recorded {sha256}, "
                                              f"now {again}")
    report.revisions = len(revisions)
    return report
