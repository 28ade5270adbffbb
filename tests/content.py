"""The content a step's decision demands (a draft, uploaded files), for tests that walk the SOPs."""
from __future__ import annotations

from typing import Any

from shared.sop.schema import SopDefinition

DRAFT = "Dengan hormat, bersama ini kami sampaikan data yang Saudara minta."
SIGNED_PDF = {"sha256": "ab" * 32, "name": "surat-jawaban-ttd.pdf", "media_type": "application/pdf", "size": 48213}


def required_content(sop: SopDefinition, step: int, decision: str) -> dict[str, Any]:
    found = sop.step(step).decision(decision)
    needs = set(found.requires) if found else set()
    return ({"draft": DRAFT} if "draft" in needs else {}) | (
        {"attachments": [SIGNED_PDF]} if "attachments" in needs else {})
