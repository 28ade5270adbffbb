"""The documents API's contract: its parameters and answers, shared by the documents service and the gateway.

Here, not in services/documents, so the gateway declares the same models in its OpenAPI without
importing a service. A verifier's answers (PublicDocument) name the document, never the applicant.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import BaseModel, Field

from shared.http.pages import Page
from shared.sop.loader import SopLibrary

DOCUMENTS_PER_PAGE = 50  # a case has about ten kinds: one page, unless a client asks for less
MAX_REVISION = 10_000  # far beyond any case's revisions; bounds what reaches a store
MAX_NUMBER_LENGTH = 100
SHA256_PATTERN = r"^[0-9a-fA-F]{64}$"
UNTIL_FETCHED = "; null until the PDF is first fetched (it is rendered on first request)"
PRINTABLE = r"^[^\x00-\x1f\x7f]+$"

RevisionInPath = Annotated[int, Path(ge=1, le=MAX_REVISION, description="The revision, from 1")]
RevisionInQuery = Annotated[int | None, Query(ge=1, le=MAX_REVISION, description="A revision; the latest if left out")]
Sha256Query = Annotated[str | None, Query(pattern=SHA256_PATTERN, description="64 hexadecimal characters")]
NumberQuery = Annotated[str | None, Query(min_length=1, max_length=MAX_NUMBER_LENGTH, pattern=PRINTABLE,
                                          description="A register or letter number, e.g. 050/001/BAPPEDA/2026")]


ARCHIVE_COPIES = {"surat_jawaban": "pertinggal_surat_jawaban"}
"""A letter whose archive copy (pertinggal, with the paraf chain tata naskah dinas keeps off the copy sent)
is issued with it, whichever SOP version lists the letter."""


def document_kinds(library: SopLibrary) -> list[str]:
    """Every output any version of any SOP declares, and their archive copies: the kinds a document may be."""
    outputs = {kind for sop in library.all() for step in sop.steps for kind in step.outputs}
    return sorted(outputs | {ARCHIVE_COPIES[k] for k in outputs if k in ARCHIVE_COPIES})


def kind_in_path(library: SopLibrary) -> Any:
    """The `{kind}` path parameter: one of the library's kinds (else 422), listed as an enum in the OpenAPI.

    Built from the library at start-up, so a module that uses it in an annotation must not use
    `from __future__ import annotations` (a string annotation cannot see the local it names)."""
    return Annotated[Literal[tuple(document_kinds(library))], Path(description="A document kind an SOP declares")]


class RevisionSummary(BaseModel):
    revision: int
    issued_at: datetime
    sha256: str | None = Field(description="SHA-256 of the PDF" + UNTIL_FETCHED)
    number: str | None


class PublicDocument(BaseModel):
    """One revision as issued: what a recipient compares with the paper in hand."""
    case_id: str
    kind: str
    title: str
    number: str | None = Field(description="Register or letter number, once it has one")
    revision: int
    issued_at: datetime
    sha256: str | None = Field(description="SHA-256 of the PDF" + UNTIL_FETCHED)
    size: int | None = Field(description="Bytes of the PDF" + UNTIL_FETCHED)
    template: str
    template_version: int
    current: bool = Field(description="This is the kind's latest revision")
    latest_revision: int | None
    verify_url: str = Field(description="What the QR code on each page prints")
    status: Literal["draft", "signed", "issued"] = Field(
        "issued", description="draft: a konsep or an unsigned letter (KONSEP across it); signed: a signed letter; "
                              "issued: a sheet or form")
    status_label: str = Field("diterbitkan", description='In Indonesian, e.g. "konsep, belum ditandatangani"')


class CaseDocument(PublicDocument):
    """A case's document: its latest revision, where to download it, and every revision issued."""
    download: str
    revisions: list[RevisionSummary]


class CaseDocumentsPage(Page[CaseDocument]):
    """A page of a case's documents, in the order the SOP first produces each kind."""


class SignatureVerdict(BaseModel):
    """The electronic signature of a signed letter, checked with pyHanko against the trusted roots."""
    valid: bool = Field(description="Intact, covering the whole file, and chaining to a trusted root")
    intact: bool | None = None
    trusted: bool | None = None
    covers_whole_file: bool | None = None
    signer: str | None = Field(None, description="The signing certificate's common name")
    signed_by: str | None = Field(None, description="The official named in the signature")
    signed_at: str | None = Field(None, description="The signing time the signature claims (the signing event's)")
    reason: str | None = Field(None, description="Why it is not valid")


class Verified(BaseModel):
    """By QR reference or number: any revision issued. By SHA-256: only a rendered one (a PDF that was fetched);
    a revision never rendered has no bytes anyone could hold."""
    genuine: Literal[True] = True
    document: PublicDocument
    signature: SignatureVerdict | None = Field(None, description="For a signed letter already rendered")


class NumberLookup(BaseModel):
    number: str
    documents: list[PublicDocument] = Field(description="Every revision that carries the number")


class UploadVerdict(BaseModel):
    genuine: bool = Field(description="The file is, byte for byte, a revision issued here")
    sha256: str = Field(description="The SHA-256 of the file sent")
    document: PublicDocument | None = Field(None, description="The revision it is, when genuine")
    reason: str | None = Field(None, description="Why it is not genuine")
    signature: SignatureVerdict | None = Field(None, description="The file's electronic signature, if it has one")
