"""Turns a case file's facts into document revisions: build the fields, render, keep the PDF, record it.

A revision is issued only when a document's fields change, so a step that does not touch a
document (the letter being handed over) issues nothing. The PDF is stored (content-addressed)
before its revision is recorded: a recorded revision always has its bytes.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any, Callable

from services.documents.builders import BUILDERS
from services.documents.domain import CaseFile
from services.documents.index import DocumentDigest
from services.documents.rendering import LetterheadSettings, RenderedDocument, load_template, render
from services.documents.view import CaseView
from shared.blobs import BlobStore
from shared.sop.loader import SopLibrary
from shared.sop.schema import SopDefinition


def data_digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class Issuer:
    library: SopLibrary
    letterhead: LetterheadSettings
    public_url: str
    blobs: BlobStore
    observe: Callable[[str, float], None] | None = None  # (kind, seconds) of each rendering, for metrics

    def verify_url(self, case_id: str, kind: str, revision: int) -> str:
        return f"{self.public_url}/verify/{case_id}/{kind}/{revision}"

    def kinds(self, sop: SopDefinition) -> list[str]:
        """The SOP's outputs that have a template, in the order its steps first produce them."""
        found: list[str] = []
        for step in sop.steps:
            found += [k for k in step.outputs if k in BUILDERS and k not in found]
        return found

    def issue(self, case_file: CaseFile, after: int, through: int) -> list[DocumentDigest]:
        """Issues what changed at each version after `after` up to `through`, in the case's order."""
        sop = self.library.get(case_file.sop_id, case_file.sop_version)
        indexed: list[DocumentDigest] = []
        for version in range(after + 1, through + 1):
            view = CaseView(sop, case_file.facts_through(version))
            fact = case_file.facts[version]
            for kind in self.kinds(sop):
                data = BUILDERS[kind](view)
                if data is None:
                    continue
                digest, latest = data_digest(data), case_file.latest(kind)
                if latest and latest["data_digest"] == digest:
                    continue
                revision = len(case_file.documents.get(kind, [])) + 1
                url = self.verify_url(case_file.case_id, kind, revision)
                rendered = self._render(kind, revision, data, url)
                case_file.issue(kind=kind, title=load_template(kind).title, revision=revision,
                                number=data.get("number"), sha256=rendered.sha256, size=len(rendered.pdf),
                                template=rendered.template, template_version=rendered.template_version,
                                issued_at=fact["occurred_at"], facts_through=version, data_digest=digest,
                                source_event_id=fact["event_id"], verify_url=url)
                indexed.append(DocumentDigest(sha256=rendered.sha256, case_id=case_file.case_id, kind=kind,
                                              revision=revision))
        return indexed

    def _render(self, kind: str, revision: int, data: dict[str, Any], url: str) -> RenderedDocument:
        started = time.perf_counter()
        rendered = render(kind, data, self.letterhead, url)
        if self.observe:
            self.observe(kind, time.perf_counter() - started)
        self.blobs.put(rendered.pdf, f"{kind}-{revision}.pdf", "application/pdf")
        return rendered

    def rerender(self, case_file: CaseFile, kind: str, revision: int) -> RenderedDocument:
        """A recorded revision rendered again from the facts it was made from: for audit replay."""
        recorded = case_file.revision(kind, revision)
        if recorded is None:
            raise LookupError(f"case {case_file.case_id} has no {kind} revision {revision}")
        view = CaseView(self.library.get(case_file.sop_id, case_file.sop_version),
                        case_file.facts_through(recorded["facts_through"]))
        data = BUILDERS[kind](view)
        if data is None:
            raise LookupError(f"the facts of {kind} revision {revision} no longer make the document")
        # The URL printed then, not today's setting: a moved portal must not make old papers differ.
        return render(kind, data, self.letterhead, recorded["verify_url"])
