"""Lookups a verifier needs, kept in the same event store as the documents they point to.

An index entry is an aggregate whose id is derived from what is looked up (the PDF's SHA-256, or a
register or letter number), written in the same transaction as the fact it points to (a number
with the revision that carries it, a SHA-256 with the revision's first rendering), so the index
never names a document that was not stored, and a stored document is always indexed.
"""
from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class DocumentDigest(Aggregate):
    """SHA-256 of one rendered PDF -> the case, document kind and revision it is."""

    @staticmethod
    def create_id(sha256: str, **_: Any) -> UUID:
        return uuid5(NAMESPACE_URL, f"sop-document-sha256:{sha256}")

    @event("Indexed")
    def __init__(self, sha256: str, case_id: str, kind: str, revision: int):
        self.sha256 = sha256
        self.case_id = case_id
        self.kind = kind
        self.revision = revision


class DocumentNumber(Aggregate):
    """A register or letter number -> the case whose documents carry it."""

    @staticmethod
    def create_id(number: str, **_: Any) -> UUID:
        return uuid5(NAMESPACE_URL, f"sop-document-number:{number}")

    @event("Indexed")
    def __init__(self, number: str, case_id: str):
        self.number = number
        self.case_id = case_id
