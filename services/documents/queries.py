"""What portals and verifiers read: a case's documents, one PDF, and whether a PDF is genuine.

Verification answers reveal no personal data: the kind, number, revision, date and digest of a
document are what a recipient compares; the applicant's details stay behind the credentials.
A revision's `sha256` and `size` are null until its PDF is first fetched (on_request.py renders it).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any, Callable

from services.documents.application import Documents
from services.documents.domain import CaseFile
from services.documents.issuing import Erased
from services.documents.signature_check import check_signature
from services.documents.signing import SIGNED_KINDS
from services.documents.signing_keys import SigningSettings, resolved, trust_roots
from shared.http.pages import page_of

STATUS_LABELS = {"draft": "konsep, belum ditandatangani", "signed": "ditandatangani", "issued": "diterbitkan"}


@lru_cache(maxsize=1)
def _roots(setting: str) -> list:
    return trust_roots(SigningSettings(trust_roots=setting))


async def signature_of(pdf: bytes) -> dict[str, Any] | None:
    """The PDF's signature checked against SOP_SIGNING_TRUST_ROOTS (None: it carries none)."""
    return await check_signature(pdf, _roots(resolved().trust_roots))


async def stored_signature(app: Documents, found: dict[str, Any]) -> dict[str, Any] | None:
    """A rendered signed letter's signature, checked on the stored bytes: the digest alone says they are
    the bytes issued; this says the signature in them is sound (and names signer and time)."""
    if found["kind"] not in SIGNED_KINDS or found["sha256"] is None or not app.issuer.blobs.has(found["sha256"]):
        return None  # never rendered, or removed with an erased applicant's data: nothing to check the signature on
    return await signature_of(app.issuer.blobs.read(found["sha256"]))


def _public(case_file: CaseFile, revision: dict[str, Any], app: Documents) -> dict[str, Any]:
    latest = case_file.latest(revision["kind"])
    return {"case_id": case_file.case_id, "kind": revision["kind"], "title": revision["title"],
            "number": revision["number"], "revision": revision["revision"], "issued_at": revision["issued_at"],
            "sha256": revision["sha256"], "size": revision["size"], "template": revision["template"],
            "template_version": revision["template_version"],
            "current": latest is not None and latest["revision"] == revision["revision"],
            "latest_revision": latest["revision"] if latest else None,
            "verify_url": revision["verify_url"], "status": revision.get("status", "issued"),
            "status_label": STATUS_LABELS[revision.get("status", "issued")]}


def case_documents(app: Documents, case_id: str) -> list[dict[str, Any]] | None:
    """Each document of the case in the SOP's order (`document_order`), with its latest revision first
    in line and every revision listed; None for a case this service has not heard of."""
    case_file = app.case_file(case_id)
    return _listing(app, case_file) if case_file else None


def case_documents_page(app: Documents, case_id: str, limit: int, after: list[Any] | None,
                        case_file: CaseFile | None = None) -> dict[str, Any] | None:
    """Up to `limit` documents after the cursor's key (`document_order`), and the next cursor; of
    `case_file` when given (the file as it stood at an instant), else of the file as it is now."""
    case_file = case_file or app.case_file(case_id)
    if case_file is None:
        return None
    key = document_order(app, case_file)
    rest = [d for d in _listing(app, case_file) if after is None or key(d) > after]
    return page_of(rest[:limit + 1], limit, key)


def document_order(app: Documents, case_file: CaseFile) -> Callable[[dict[str, Any]], list[Any]]:
    """A document's sort key, also its page cursor: [where the SOP first produces its kind, kind].

    Not the order of issue: that depends on which facts arrived first, and a cursor must mean the
    same place in the list on every call."""
    kinds = app.issuer.kinds(app.library.get(case_file.sop_id, case_file.sop_version))
    rank = {kind: n for n, kind in enumerate(kinds)}
    return lambda document: [rank.get(document["kind"], len(rank)), document["kind"]]


def _listing(app: Documents, case_file: CaseFile) -> list[dict[str, Any]]:
    found = []
    for kind, revisions in case_file.documents.items():
        latest = _public(case_file, revisions[-1], app)
        found.append(latest | {"download": f"/cases/{case_file.case_id}/documents/{kind}.pdf",
                               "revisions": [{k: r[k] for k in ("revision", "issued_at", "sha256", "number")}
                                             for r in revisions]})
    return sorted(found, key=document_order(app, case_file))


def document_pdf(app: Documents, case_id: str, kind: str, revision: int | None = None) -> tuple[bytes, dict]:
    """The stored bytes of a rendered revision (the latest by default); LookupError when there is none."""
    case_file = app.case_file(case_id)
    found = case_file and (case_file.revision(kind, revision) if revision else case_file.latest(kind))
    if not found:
        raise LookupError(f"case {case_id} has no {kind} document" + (f" revision {revision}" if revision else ""))
    if found["sha256"] is None:
        raise LookupError(f"{kind} revision {found['revision']} of case {case_id} has not been rendered yet")
    if not app.issuer.blobs.has(found["sha256"]) and app.issuer.erased(case_file):
        raise Erased(f"{kind} revision {found['revision']} of case {case_id} held personal data since erased: "
                     "its PDF was removed; its verification record stays")
    pdf = app.issuer.blobs.read(found["sha256"])
    if hashlib.sha256(pdf).hexdigest() != found["sha256"]:
        raise RuntimeError(f"the stored PDF of {kind} revision {found['revision']} does not match its SHA-256")
    return pdf, _public(case_file, found, app)


def verify_reference(app: Documents, case_id: str, kind: str, revision: int) -> dict[str, Any] | None:
    """What the QR code leads to: the revision as issued, to compare with the paper in hand."""
    case_file = app.case_file(case_id)
    found = case_file.revision(kind, revision) if case_file else None
    return _public(case_file, found, app) if case_file and found else None


def verify_sha256(app: Documents, sha256: str) -> dict[str, Any] | None:
    """Only rendered revisions have a SHA-256 to find, and that is all a verifier can hold: nobody has the
    bytes of a revision never rendered, since rendering is how bytes leave this service."""
    index = app.by_sha256(sha256)
    return verify_reference(app, index.case_id, index.kind, index.revision) if index else None


async def verify_bytes(app: Documents, content: bytes) -> dict[str, Any]:
    """A PDF in hand: genuine only if it is, byte for byte, a revision this agency issued."""
    sha256 = hashlib.sha256(content).hexdigest()
    found = verify_sha256(app, sha256)
    if found is None:
        return {"genuine": False, "sha256": sha256, "signature": await signature_of(content),
                "reason": "no document issued by this service has this SHA-256: it was altered or not issued here"}
    return {"genuine": True, "sha256": sha256, "document": found, "signature": await signature_of(content)}


def verify_number(app: Documents, number: str) -> list[dict[str, Any]]:
    """The documents carrying a register or letter number, each revision that carries it."""
    case_id = app.case_of_number(number)
    case_file = app.case_file(case_id) if case_id else None
    if case_file is None:
        return []
    return [_public(case_file, r, app) for revisions in case_file.documents.values() for r in revisions
            if r["number"] == number]
