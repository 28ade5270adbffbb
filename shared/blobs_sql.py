"""The files of shared/blobs.py in a table instead of a folder: with SOP_PERSISTENCE=postgres a service keeps
its uploads and issued PDFs in its PostgreSQL schema, so its replicas share them without a shared volume.

The same contract: found by SHA-256, the bytes written once (a second `put` of the same content keeps them),
the meta beside them. A folder is a prefix of names (`cases/<case id>`); `clear` removes one with all in it.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


from shared.blobs import BlobStore, checked_sha256
from shared.settings import Settings
from shared.sql.db import Db
from shared.sql.place import open_db, store_place

SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (
  folder TEXT, sha256 TEXT, content BLOB NOT NULL, meta TEXT, PRIMARY KEY (folder, sha256));
"""


def open_blobs(settings: Settings, name: str, folder: Path) -> BlobStore | SqlBlobStore:
    """A service's files: the table of the store `name` on PostgreSQL, else the folder (memory included)."""
    return SqlBlobStore.opened(settings, name) if settings.persistence == "postgres" else BlobStore(folder)


class SqlBlobStore:
    def __init__(self, db: Db, folder: str = ""):
        self.db, self.folder = db, folder

    @classmethod
    def opened(cls, settings: Settings, name: str) -> SqlBlobStore:
        db = open_db(store_place(settings, name))
        db.script(SCHEMA)
        return cls(db)

    def within(self, name: str) -> SqlBlobStore:
        if not name or "/" in name:
            raise KeyError(f"not a folder name: {name!r}")
        return SqlBlobStore(self.db, f"{self.folder}/{name}")

    def put(self, content: bytes, name: str, media_type: str) -> dict[str, Any]:
        sha256 = hashlib.sha256(content).hexdigest()
        meta = {"sha256": sha256, "name": name, "media_type": media_type, "size": len(content)}
        self.db.execute("INSERT INTO blobs VALUES (?, ?, ?, ?) ON CONFLICT (folder, sha256) DO UPDATE "
                        "SET meta = excluded.meta", (self.folder, sha256, content, json.dumps(meta)))
        return meta

    def put_as(self, sha256: str, stored: bytes, meta: dict[str, Any]) -> None:
        """Bytes kept under another file's SHA-256 (its plaintext's, for a sealed file), with their meta."""
        self.db.execute("INSERT INTO blobs VALUES (?, ?, ?, ?) ON CONFLICT (folder, sha256) DO UPDATE "
                        "SET content = excluded.content, meta = excluded.meta",
                        (self.folder, checked_sha256(sha256), stored, json.dumps(meta)))

    def _one(self, column: str, sha256: str) -> Any:
        row = self.db.execute(f"SELECT {column} FROM blobs WHERE folder = ? AND sha256 = ?",
                              (self.folder, checked_sha256(sha256))).fetchone()
        if row is None:
            raise KeyError(f"no uploaded file {sha256}")
        return row[0]

    def meta(self, sha256: str) -> dict[str, Any]:
        return json.loads(self._one("meta", sha256))

    def read(self, sha256: str) -> bytes:
        return bytes(self._one("content", sha256))

    def delete(self, sha256: str) -> bool:
        """Removes a file and its metadata (a PDF holding an erased subject's data); False if none was there."""
        return bool(self.db.execute("DELETE FROM blobs WHERE folder = ? AND sha256 = ?",
                                    (self.folder, checked_sha256(sha256))).rowcount)

    def has(self, sha256: str) -> bool:
        try:
            self._one("1", sha256)
        except KeyError:
            return False
        return True

    def clear(self) -> None:
        """This folder and every folder in it, gone (a case's uploads, at its erasure)."""
        inside = self.folder + "/"  # compared as a prefix, not with LIKE: a name may hold its wildcards
        self.db.execute("DELETE FROM blobs WHERE folder = ? OR substr(folder, 1, ?) = ?",
                        (self.folder, len(inside), inside))
