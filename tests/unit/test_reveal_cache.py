"""A Revealer opens each sealed value once, and an erasure still blanks every read at once, also of values
it opened before and also when another process (another store on the same keys file) erased the key."""
from __future__ import annotations

from datetime import datetime, timezone

import shared.pii.reveal as reveal_module
from shared.pii.envelope import ERASED, seal
from shared.pii.keystore import sqlite_keystore
from shared.pii.opened import OpenedValues
from shared.pii.reveal import Revealer

AT = datetime(2026, 11, 25, tzinfo=timezone.utc)


def counting_unseal(monkeypatch) -> list[str]:
    opened: list[str] = []
    real = reveal_module.unseal

    def unseal(sealed: str, key: bytes) -> str:
        opened.append(sealed)
        return real(sealed, key)

    monkeypatch.setattr(reveal_module, "unseal", unseal)
    return opened


def facts(keys, subject: str) -> list[dict]:
    key = keys.create(subject, AT)
    form = {"applicant": {"name": seal("Budi", subject, key), "phone": seal("0812", subject, key)}}
    return [{"type": "CaseOpened", "data": {"form": form, "applicant": form["applicant"]}}, {"type": "StepCompleted"}]


def test_revealing_the_same_facts_again_opens_each_sealed_value_once(monkeypatch):
    keys = sqlite_keystore(":memory:")
    case, revealer, opened = facts(keys, "s-1"), Revealer(keys), counting_unseal(monkeypatch)
    first = revealer.reveal(case)
    assert all(revealer.reveal(case[:n]) == first[:n] for n in (1, 2, 2, 1))
    assert first[0]["data"]["applicant"] == {"name": "Budi", "phone": "0812"}
    assert len(opened) == 2 and len(set(opened)) == 2  # two sealed values (form and applicant share them)


def test_after_an_erasure_in_another_process_a_value_revealed_before_reads_as_erased(tmp_path, monkeypatch):
    reader, intake = sqlite_keystore(tmp_path / "keys.db"), sqlite_keystore(tmp_path / "keys.db")
    case, revealer = facts(reader, "s-1"), Revealer(reader)
    assert revealer.reveal(case)[0]["data"]["applicant"]["name"] == "Budi"
    intake.erase("s-1", AT)  # intake's process: the key set to NULL in the shared store
    assert revealer.reveal(case)[0]["data"]["applicant"] == {"name": ERASED, "phone": ERASED}
    assert len(revealer.opened) == 0  # nor is its plaintext kept
    assert revealer.text(case[0]["data"]["applicant"]["name"]) == ERASED


def test_an_erasure_announced_before_the_key_is_gone_blanks_what_was_opened(monkeypatch):
    keys = sqlite_keystore(":memory:")
    case, other, revealer = facts(keys, "s-1"), facts(keys, "s-2"), Revealer(keys)
    revealer.reveal(case + other)
    both = revealer.reveal(case + other, erased=frozenset({"s-1"}))
    assert both[0]["data"]["applicant"]["name"] == ERASED and both[2]["data"]["applicant"]["name"] == "Budi"
    assert len(revealer.opened) == 2  # s-2's two values only


def test_what_is_kept_is_bounded_by_subjects_and_values():
    opened = OpenedValues(subjects=2, per_subject=2)
    for subject in ("a", "b", "c"):
        for n in range(3):
            opened.put(subject, b"k", f"{subject}{n}", f"v{n}")
    assert len(opened) == 4 and opened.get("a", b"k", "a2") is None and opened.get("c", b"k", "c2") == "v2"
    assert opened.get("c", b"k", "c0") is None  # the oldest of c went first
    assert opened.get("c", b"other key", "c2") is None  # kept with the key it was opened with


def test_records_revealed_each_are_walked_and_opened_once_while_their_keys_hold(monkeypatch):
    keys = sqlite_keystore(":memory:")
    case, revealer, opened = facts(keys, "s-1"), Revealer(keys), counting_unseal(monkeypatch)
    first = revealer.reveal_each(case)
    assert first == revealer.reveal(case) and revealer.reveal_each(case)[0] is first[0]  # kept, not opened again
    assert revealer.reveal_each(case + [{"type": "CaseClosed"}])[:2] == first and len(opened) == 2


def test_after_an_erasure_records_revealed_each_before_read_as_erased(tmp_path):
    reader, intake = sqlite_keystore(tmp_path / "keys.db"), sqlite_keystore(tmp_path / "keys.db")
    case, other, revealer = facts(reader, "s-1"), facts(reader, "s-2"), Revealer(reader)
    assert revealer.reveal_each(case + other)[0]["data"]["applicant"]["name"] == "Budi"
    announced = revealer.reveal_each(case + other, erased=frozenset({"s-2"}))  # the erasure event, key still there
    assert announced[2]["data"]["applicant"] == {"name": ERASED, "phone": ERASED}
    assert announced[0]["data"]["applicant"]["name"] == "Budi"
    intake.erase("s-1", AT)  # another process deletes the key
    later = revealer.reveal_each(case)
    assert later[0]["data"]["form"]["applicant"] == {"name": ERASED, "phone": ERASED}
    assert "Budi" not in str([e.opened for e in revealer.records._by_id.values()])  # nor kept in memory
    assert len(revealer.opened) == 0  # neither subject's plaintext kept: both read as erased
