"""Opening what was sealed, for whoever may read it: each sealed string of a structure becomes its
plaintext, or the placeholder once its subject is erased. Plain values (and events recorded before
sealing existed) pass through unchanged."""
from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidTag

from shared.pii.envelope import ERASED, is_sealed, subject_of, unseal
from shared.pii.keystore import KeyStore


class Revealer:
    def __init__(self, keys: KeyStore):
        self.keys = keys

    def reveal(self, value: Any, erased: frozenset[str] = frozenset()) -> Any:
        """`value` with every sealed string opened; `erased`: subjects to show as erased whatever the store
        says (what an erasure event announces, before or after the key is gone)."""
        subjects = sorted(_subjects(value, set()) - erased)
        return _opened(value, self.keys.keys(subjects) if subjects else {})

    def text(self, value: Any) -> Any:
        return self.reveal(value) if is_sealed(value) else value


def _subjects(value: Any, found: set[str]) -> set[str]:
    if is_sealed(value):
        found.add(subject_of(value))
    elif isinstance(value, dict):
        for v in value.values():
            _subjects(v, found)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _subjects(v, found)
    return found


def _opened(value: Any, keys: dict[str, bytes | None]) -> Any:
    if is_sealed(value):
        key = keys.get(subject_of(value))
        if key is None:
            return ERASED
        try:
            return unseal(value, key)
        except (InvalidTag, ValueError):
            return ERASED  # not this subject's: never shown as if it were
    if isinstance(value, dict):
        return {k: _opened(v, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [_opened(v, keys) for v in value]
    if isinstance(value, tuple):
        return tuple(_opened(v, keys) for v in value)
    return value
