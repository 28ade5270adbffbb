"""Files uploaded for a case, kept per case and sealed with its data subject's key: a signed reply or a
data sheet may name the applicant, and so may a file's name.

A case's files live in a folder of their own (`{data_dir}/blobs/cases/<case id>/<sha256>`; on PostgreSQL the
folder `/cases/<case id>` of the table in `<prefix>_intake_blobs`), found by the
SHA-256 of their plaintext, which the steps cite. Per case rather than shared by content: a file sealed
for one subject must not vanish from another case when the first is erased. The erasure deletes the key
(nothing there opens again) and then the folder. Files uploaded before this layout stay where they were
(`{data_dir}/blobs/<sha256>`), found as before.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from shared.blobs import BlobStore
from shared.blobs_sql import SqlBlobStore
from shared.pii.envelope import seal, seal_bytes
from shared.pii.keystore import KeyStore


class CaseFiles:
    def __init__(self, root: Path | BlobStore | SqlBlobStore, keys: KeyStore, seal: bool = True):
        self.legacy = BlobStore(root) if isinstance(root, Path) else root
        self.keys, self.cases = keys, self.legacy.within("cases")
        self.seal = seal  # off (SOP_PII_ENCRYPTION=false): files and their names are kept in clear

    def _folder(self, case_id: str) -> BlobStore | SqlBlobStore:
        return self.cases.within(case_id)

    def put(self, case_id: str, content: bytes, name: str, media_type: str) -> dict[str, Any]:
        """The file's public meta (SHA-256 and size of its plaintext); LookupError for an erased subject."""
        key = self.keys.key(case_id) if self.seal else None
        # Still asked with sealing off: a subject erased while it was on takes nothing more.
        if key is None and self.keys.erased_at(case_id):
            raise LookupError(f"the personal data of case {case_id} was erased: nothing more is kept for it")
        stored = seal_bytes(content, case_id, key) if key else content
        sha256 = hashlib.sha256(content).hexdigest()
        self._folder(case_id).put_as(sha256, stored, {"sha256": sha256, "name": name, "media_type": media_type,
                                                       "size": len(content), "sealed": key is not None})
        return {"sha256": sha256, "name": name, "media_type": media_type, "size": len(content)}

    def attachment(self, case_id: str, sha256: str) -> dict[str, Any]:
        """What a step carries of an uploaded file: its name sealed like the applicant's (KeyError: none)."""
        try:
            meta = self._folder(case_id).meta(sha256)
        except KeyError:
            return self.legacy.meta(sha256)
        key = self.keys.key(case_id) if meta.pop("sealed", False) else None
        return meta | ({"name": seal(meta["name"], case_id, key)} if key else {})

    def erase(self, case_id: str) -> None:
        self._folder(case_id).clear()
