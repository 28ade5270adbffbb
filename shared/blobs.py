"""Uploaded files, stored by the SHA-256 of their content: written once, never changed, found by hash.

A folder here (shared/blobs_sql.py: a table, with SOP_PERSISTENCE=postgres); an object store (S3, MinIO)
in a larger deployment keeps the same contract.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any


def checked_sha256(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise KeyError(f"not a SHA-256: {sha256!r}")
    return sha256


class BlobStore:
    def __init__(self, root: Path):
        self.root = root

    def within(self, name: str) -> BlobStore:
        if not name or "/" in name or name in (".", ".."):
            raise KeyError(f"not a folder name: {name!r}")
        return BlobStore(self.root / name)

    def clear(self) -> None:
        """This folder and every folder in it, gone (a case's uploads, at its erasure)."""
        shutil.rmtree(self.root, ignore_errors=True)

    def _path(self, sha256: str) -> Path:
        return self.root / checked_sha256(sha256)[:2] / sha256

    def put(self, content: bytes, name: str, media_type: str) -> dict[str, Any]:
        sha256 = hashlib.sha256(content).hexdigest()
        path = self._path(sha256)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(content)
            os.replace(partial, path)  # atomic: a reader never sees half a file
        meta = {"sha256": sha256, "name": name, "media_type": media_type, "size": len(content)}
        path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
        return meta

    def put_as(self, sha256: str, stored: bytes, meta: dict[str, Any]) -> None:
        """Bytes kept under another file's SHA-256 (its plaintext's, for a sealed file), with their meta."""
        path = self._path(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(stored)
        os.replace(partial, path)
        path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")

    def meta(self, sha256: str) -> dict[str, Any]:
        found = self._path(sha256).with_suffix(".json")
        if not found.exists():
            raise KeyError(f"no uploaded file {sha256}")
        return json.loads(found.read_text(encoding="utf-8"))

    def read(self, sha256: str) -> bytes:
        return self._path(sha256).read_bytes()

    def delete(self, sha256: str) -> bool:
        """Removes a file and its metadata (a PDF holding an erased subject's data); False if none was there."""
        path = self._path(sha256)
        existed = path.exists()
        path.unlink(missing_ok=True)
        path.with_suffix(".json").unlink(missing_ok=True)
        return existed

    def has(self, sha256: str) -> bool:
        return self._path(sha256).exists()
