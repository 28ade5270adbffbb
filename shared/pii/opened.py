"""The plaintexts a Revealer already opened, so that a sealed value read again is not decrypted again.

Documents opens every fact of a case again for each revision it issues, and a read model's row is
opened on every read: without this, the same few sealed fields of a case are decrypted once per fact
and per read. An entry is kept under its subject together with the key it was opened with, and it is
used only when the key store, asked on every reveal as before, still gives that very key: an erasure
in any process (the key set to NULL) blanks the next read at once, cached or not. A subject found
erased is forgotten whole, so its plaintext does not stay in memory either. Bounded: the subjects
least recently read go first, and a subject holds at most `per_subject` values.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Iterable


class OpenedValues:
    def __init__(self, subjects: int = 2048, per_subject: int = 64):
        self.subjects, self.per_subject = subjects, per_subject
        self._by_subject: OrderedDict[str, tuple[bytes, dict[str, str]]] = OrderedDict()
        self._lock = threading.Lock()  # the HTTP threads and the consumer share a service's Revealer

    def get(self, subject_id: str, key: bytes, sealed: str) -> str | None:
        with self._lock:
            found = self._by_subject.get(subject_id)
            if found is None or found[0] != key:
                return None
            self._by_subject.move_to_end(subject_id)
            return found[1].get(sealed)

    def put(self, subject_id: str, key: bytes, sealed: str, plaintext: str) -> None:
        with self._lock:
            found = self._by_subject.get(subject_id)
            if found is None or found[0] != key:
                found = self._by_subject[subject_id] = (key, {})
            self._by_subject.move_to_end(subject_id)
            values = found[1]
            if len(values) >= self.per_subject:
                values.pop(next(iter(values)))
            values[sealed] = plaintext
            while len(self._by_subject) > self.subjects:
                self._by_subject.popitem(last=False)

    def forget(self, subject_ids: Iterable[str]) -> None:
        with self._lock:
            for subject_id in subject_ids:
                self._by_subject.pop(subject_id, None)

    def __len__(self) -> int:
        return sum(len(values) for _, values in self._by_subject.values())
