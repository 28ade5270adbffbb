"""Records a Revealer already opened whole (documents' facts: every revision issued opens all the facts of
its case so far), so that a fact is walked and opened once rather than once per later fact of its case.

Kept by the record's identity (the entry holds the record, so the id is not reused while it is kept) with
the subjects it names and the key each had when it was opened. `Revealer.reveal_each` asks the key store
on every call as `reveal` does and uses an entry only while every one of its subjects still has that key:
an erasure anywhere (the key gone, or the subject passed as erased) opens the record again, to the
placeholder. Entries of a subject found erased are dropped, so its plaintext does not stay in memory.
The records must not change once given, nor the opened copies handed out (shared between calls).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OpenedRecord:
    record: Any
    subjects: frozenset[str]
    keys: tuple[tuple[str, bytes | None], ...]  # each subject's key when it was opened (None: erased)
    opened: Any

    def holds_for(self, keys: dict[str, bytes | None]) -> bool:
        return all(keys.get(s) == k for s, k in self.keys)


class OpenedRecords:
    # The facts of the cases in work (a SOP C case has 12-25): an entry keeps its record alive past the case
    # file's eviction from the aggregate cache, so 8,192 took documents past 200 MB while 100,000 cases came in.
    def __init__(self, records: int = 2048):
        self.records = records
        self._by_id: OrderedDict[int, OpenedRecord] = OrderedDict()
        self._ids_of: dict[str, set[int]] = {}  # subject -> ids of the records naming it
        self._lock = threading.Lock()

    def get(self, record: Any) -> OpenedRecord | None:
        with self._lock:
            found = self._by_id.get(id(record))
            if found is None or found.record is not record:
                return None
            self._by_id.move_to_end(id(record))
            return found

    def put(self, entry: OpenedRecord) -> None:
        with self._lock:
            self._drop(id(entry.record))
            self._by_id[id(entry.record)] = entry
            for s in entry.subjects:
                self._ids_of.setdefault(s, set()).add(id(entry.record))
            while len(self._by_id) > self.records:
                self._drop(next(iter(self._by_id)))

    def forget(self, subject_ids: list[str]) -> None:
        """Drops what was opened while these subjects had a key (what shows them as erased may stay)."""
        with self._lock:
            for s in subject_ids:
                for i in list(self._ids_of.get(s, ())):
                    if dict(self._by_id[i].keys).get(s) is not None:
                        self._drop(i)

    def _drop(self, record_id: int) -> None:
        entry = self._by_id.pop(record_id, None)
        for s in entry.subjects if entry else ():
            ids = self._ids_of.get(s)
            if ids is not None:
                ids.discard(record_id)
                if not ids:
                    del self._ids_of[s]

    def __len__(self) -> int:
        return len(self._by_id)
