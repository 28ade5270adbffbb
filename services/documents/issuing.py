"""Turns a case file's facts into document revisions, and a recorded revision back into what renders it.

A revision is issued only when a document's fields change, so a step that does not touch a
document (the letter being handed over) issues nothing. Issuing renders nothing: it records what
fixes the PDF's bytes (the digest of the fields, the template and its version, the letterhead in
force, the URL the QR code prints), and the PDF is rendered from that record when first asked for
(services/documents/on_request.py) or replayed (replay.py), in a pool of processes.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable

from services.documents.builders import BUILDERS, build
from services.documents.domain import CaseFile
from services.documents.renderer import SHARED, RenderJob, RenderPool
from services.documents.rendering import LetterheadSettings, load_template
from services.documents.rendering.engine import is_draft
from services.documents.rendering.templates import Template
from services.documents.view import CaseView
from shared.blobs import BlobStore
from shared.blobs_sql import SqlBlobStore
from shared.http.documents_api import ARCHIVE_COPIES
from shared.pii.keystore import process_keystore
from shared.pii.reveal import Revealer
from shared.sop.loader import SopLibrary
from shared.sop.schema import SopDefinition
from shared.staff import StaffDirectory


def data_digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def status_of(template: Template, data: dict[str, Any]) -> str:
    """draft (KONSEP across it), signed (a letter with its signature), or issued (a sheet or a form)."""
    if is_draft(template, data):
        return "draft"
    return "signed" if template.signed_by else "issued"


class NotReproducible(RuntimeError):
    """The log no longer gives what a revision was issued from: its PDF cannot be rendered faithfully."""


class Erased(LookupError):
    """The revision held personal data of a subject since erased: its record stays, its bytes are gone."""


@dataclass
class Issuer:
    library: SopLibrary
    letterhead: LetterheadSettings
    public_url: str
    blobs: BlobStore | SqlBlobStore
    observe: Callable[[str, float], None] | None = None  # (kind, seconds) of each rendering, for metrics
    pool: RenderPool = field(default=SHARED)
    staff: StaffDirectory = field(default_factory=StaffDirectory.from_file)
    revealer: Revealer = field(default_factory=lambda: Revealer(process_keystore()))

    def verify_url(self, case_id: str, kind: str, revision: int) -> str:
        return f"{self.public_url}/verify/{case_id}/{kind}/{revision}"

    def kinds(self, sop: SopDefinition) -> list[str]:
        """The SOP's outputs that have a template, in the order its steps first produce them; a letter's
        archive copy (pertinggal) right after it."""
        found: list[str] = []
        for step in sop.steps:
            for kind in step.outputs:
                found += [k for k in (kind, ARCHIVE_COPIES.get(kind)) if k in BUILDERS and k not in found]
        return found

    def issue(self, case_file: CaseFile, after: int, through: int) -> None:
        """Issues what changed at each version after `after` up to `through`, in the case's order."""
        sop = self.library.get(case_file.sop_id, case_file.sop_version)
        for version in range(after + 1, through + 1):
            view = self.view(case_file, sop, version)
            fact = case_file.facts[version]
            for kind in self.kinds(sop):
                data = build(kind, view)
                if data is None:
                    continue
                digest, latest = data_digest(data), case_file.latest(kind)
                if latest and self._unchanged(latest, kind, view, digest):
                    continue
                revision, template = len(case_file.documents.get(kind, [])) + 1, load_template(kind)
                case_file.issue(kind=kind, title=template.title, revision=revision, number=data.get("number"),
                                template=kind, template_version=template.version, issued_at=fact["occurred_at"],
                                facts_through=version, data_digest=digest, source_event_id=fact["event_id"],
                                verify_url=self.verify_url(case_file.case_id, kind, revision),
                                letterhead=self.letterhead.model_dump(), status=status_of(template, data))

    @staticmethod
    def _unchanged(latest: dict[str, Any], kind: str, view: CaseView, digest: str) -> bool:
        """Whether the latest revision still says what the facts say, on the template it was issued on:
        a new template version alone issues nothing; the next change of the facts issues on it."""
        if latest["data_digest"] == digest:
            return True
        if latest["template_version"] == load_template(kind).version:
            return False
        old = build(kind, view, latest["template_version"])
        return old is not None and data_digest(old) == latest["data_digest"]

    def view(self, case_file: CaseFile, sop: SopDefinition, version: int) -> CaseView:
        """The facts through `version` with the applicant's data opened: the documents print it (the file's
        own erasure counts even while the key store still answers, which it may for a moment)."""
        erased = frozenset({case_file.case_id}) if case_file.erased_at else frozenset()
        return CaseView(sop, self.revealer.reveal_each(case_file.facts_through(version), erased))

    def erased(self, case_file: CaseFile) -> bool:
        return case_file.erased_at is not None or self.revealer.keys.erased_at(case_file.case_id) is not None

    def holds_personal_data(self, case_file: CaseFile, kind: str, revision: int) -> bool:
        """Whether the revision's fields change once its subject's data reads as erased."""
        recorded = case_file.revision(kind, revision)
        sop = self.library.get(case_file.sop_id, case_file.sop_version)
        facts = self.revealer.reveal(case_file.facts_through(recorded["facts_through"]), frozenset({case_file.case_id}))
        data = build(kind, CaseView(sop, facts), recorded["template_version"])
        return data is None or data_digest(data) != recorded["data_digest"]

    def rerender(self, case_file: CaseFile, kind: str, revision: int) -> RenderJob:
        """What renders a recorded revision again, rebuilt from the facts it was made from: for its first
        rendering and for audit replay alike. NotReproducible when the facts or the template changed since."""
        recorded = case_file.revision(kind, revision)
        if recorded is None:
            raise LookupError(f"case {case_file.case_id} has no {kind} revision {revision}")
        view = self.view(case_file, self.library.get(case_file.sop_id, case_file.sop_version),
                         recorded["facts_through"])
        data = build(kind, view, recorded["template_version"])
        if data is None or data_digest(data) != recorded["data_digest"]:
            if self.erased(case_file):
                raise Erased(f"{kind} revision {revision} of case {case_file.case_id} held personal data since "
                             "erased: its verification record stays, its PDF is no longer made")
            raise NotReproducible(f"the facts of {kind} revision {revision} of case {case_file.case_id} no longer "
                                  "make the document it was issued as")
        try:  # the template as it was then: in force, or kept in templates/past/
            load_template(kind, recorded["template_version"])
        except LookupError as exc:
            raise NotReproducible(f"{kind} revision {revision} was issued on template version "
                                  f"{recorded['template_version']}, which is not kept: {exc}") from exc
        # The URL and letterhead printed then, not today's settings: a moved portal or a new address
        # must not make old papers differ.
        return RenderJob(kind, data, recorded["letterhead"], recorded["verify_url"], recorded["issued_at"],
                         recorded["template_version"])
