"""Builders as they were when an earlier template version was in force, keyed by (kind, version).

A revision's data digest is fixed when it is issued; rendering it again (its first fetch after an
upgrade, audit replay) must rebuild the very same fields from the same facts. So a builder whose fields
change keeps its old body here, beside the old template kept in rendering/templates/past/. A template
version that changed only the layout needs no entry: the builder in force serves it.

Bumping a builder's fields: copy the template to past/<kind>.v<N>.yaml, copy the builder here as
(kind, N), then bump the template's version and change the builder.
"""
from __future__ import annotations

from typing import Any, Callable

from services.documents.letters import _addressee, _chain, _drafts, _latest_files
from services.documents.view import CaseView, common


def surat_jawaban_v2(v: CaseView) -> dict[str, Any] | None:
    """The reply with its paraf chain beside the signature, and '-' where an unsigned letter's signer goes."""
    chain = _chain(v)
    if not chain:
        return None
    signed = next((s for s in chain if (d := v.decision(s)) is not None and d.numbers == "letter"), None)
    initialled = chain[:chain.index(signed)] if signed else chain
    withheld = [s["data"]["withheld_parts"] for s in initialled if s["data"].get("withheld_parts")]
    drafts = _drafts(v)
    return common(v) | {
        "number": signed.get("letter_number") if signed else None,
        "date": (signed or initialled[-1])["occurred_at"], "addressee": _addressee(v),
        "body": drafts[-1]["data"]["draft"] if drafts else None, "attachments": _latest_files(v),
        "withheld_parts": withheld[-1] if withheld else [],
        "paraf": [{"role": v.role_label(s["actor"]["role"]), "name": v.person(s)["name"], "paraf": v.paraf(s),
                   "at": s["occurred_at"]}
                  for s in initialled],
        "signature": v.signatory(signed) if signed else None}


PAST_BUILDERS: dict[tuple[str, int], Callable[[CaseView], dict[str, Any] | None]] = {
    ("surat_jawaban", 2): surat_jawaban_v2,
}
