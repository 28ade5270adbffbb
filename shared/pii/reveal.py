"""Opening what was sealed, for whoever may read it: each sealed string of a structure becomes its
plaintext, or the placeholder once its subject is erased. Plain values (and events recorded before
sealing existed) pass through unchanged.

The key store is asked on every reveal (one query for all the subjects of the structure), so an erasure
holds at once in every process; what was opened before is kept (opened.py) and used only while the
store still gives the key it was opened with, so each sealed value is decrypted once."""
from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidTag

from shared.pii.envelope import ERASED, PREFIX, subject_of, unseal
from shared.pii.keystore import KeyStore
from shared.pii.opened import OpenedValues
from shared.pii.opened_records import OpenedRecord, OpenedRecords


class Revealer:
    def __init__(self, keys: KeyStore, opened: OpenedValues | None = None, records: OpenedRecords | None = None):
        self.keys = keys
        self.opened = opened if opened is not None else OpenedValues()
        self.records = records if records is not None else OpenedRecords()

    def reveal(self, value: Any, erased: frozenset[str] = frozenset()) -> Any:
        """`value` with every sealed string opened; `erased`: subjects to show as erased whatever the store
        says (what an erasure event announces, before or after the key is gone)."""
        found = _subjects(value, set())
        if not found:
            return _opened(value, {}, self)
        subjects = sorted(found - erased)
        keys = self.keys.keys(subjects) if subjects else {}
        self.opened.forget([s for s in found if keys.get(s) is None])  # erased: no plaintext kept either
        return _opened(value, keys, self)

    def reveal_each(self, records: list[Any], erased: frozenset[str] = frozenset()) -> list[Any]:
        """`reveal(records, erased)` for records that never change once given (documents' facts): each opened
        once and kept while its subjects keep their keys (opened_records.py); one look-up of keys a call."""
        known = [(r, self.records.get(r)) for r in records]
        named = [e.subjects if e else frozenset(_subjects(r, set())) for r, e in known]
        found = frozenset().union(*named)
        subjects = sorted(found - erased)
        keys = self.keys.keys(subjects) if subjects else {}
        gone = [s for s in found if keys.get(s) is None]
        if gone:  # erased: nothing of theirs kept, opened or not
            self.opened.forget(gone)
            self.records.forget(gone)
        out = []
        for (record, entry), names in zip(known, named):
            if entry is None or not entry.holds_for(keys):
                entry = OpenedRecord(record, names, tuple((s, keys.get(s)) for s in sorted(names)),
                                     _opened(record, keys, self))
                self.records.put(entry)
            out.append(entry.opened)
        return out

    def text(self, value: Any) -> Any:
        return self.reveal(value) if _sealed(value) else value

    def open_one(self, sealed: str, subject_id: str, key: bytes | None) -> str:
        if key is None:
            return ERASED
        plaintext = self.opened.get(subject_id, key, sealed)
        if plaintext is None:
            try:
                plaintext = unseal(sealed, key)
            except (InvalidTag, ValueError):
                return ERASED  # not this subject's: never shown as if it were
            self.opened.put(subject_id, key, sealed, plaintext)
        return plaintext


def _sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


# Strings are most of what a fact holds: each is checked where it sits, without a call of its own.
def _subjects(value: Any, found: set[str]) -> set[str]:
    if isinstance(value, str):
        if value.startswith(PREFIX):
            found.add(subject_of(value))
    elif isinstance(value, (dict, list, tuple)):
        for v in (value.values() if isinstance(value, dict) else value):
            if not isinstance(v, str):
                _subjects(v, found)
            elif v.startswith(PREFIX):
                found.add(subject_of(v))
    return found


def _opened(value: Any, keys: dict[str, bytes | None], revealer: Revealer) -> Any:
    if isinstance(value, str):
        if not value.startswith(PREFIX):
            return value
        subject_id = subject_of(value)
        return revealer.open_one(value, subject_id, keys.get(subject_id))
    if isinstance(value, dict):
        return {k: v if isinstance(v, str) and not v.startswith(PREFIX) else _opened(v, keys, revealer)
                for k, v in value.items()}
    if isinstance(value, list):
        return [v if isinstance(v, str) and not v.startswith(PREFIX) else _opened(v, keys, revealer) for v in value]
    if isinstance(value, tuple):
        return tuple(_opened(v, keys, revealer) for v in value)
    return value
