"""Sealing the applicant's fields: what is sealed, what stays plain, and what a reader sees of each."""
from __future__ import annotations

from datetime import datetime, timezone

from shared.pii.envelope import ERASED, is_sealed, seal, subject_of
from shared.pii.fields import sealed_form
from shared.pii.keystore import sqlite_keystore
from shared.pii.reveal import Revealer

AT = datetime(2026, 11, 25, tzinfo=timezone.utc)
FORM = {"subject": "Data RKPD", "details": "Mohon data", "applicant": {
    "name": "Budi", "institution": "Dinas PU", "phone": "0812", "email": "budi@example.go.id"},
    "letter": {"number": "005/1", "date": "2026-11-20", "purpose_of_use": "Renja"}}


def test_the_personal_fields_are_sealed_and_the_rest_stays_plain():
    keys = sqlite_keystore(":memory:")
    sealed = sealed_form(FORM, "s-1", keys.create("s-1", AT))
    assert [k for k, v in sealed["applicant"].items() if is_sealed(v)] == ["name", "phone", "email"]
    assert [k for k, v in sealed["letter"].items() if is_sealed(v)] == ["number", "purpose_of_use"]
    assert (sealed["subject"], sealed["applicant"]["institution"], sealed["letter"]["date"]) == (
        "Data RKPD", "Dinas PU", "2026-11-20")
    assert subject_of(sealed["applicant"]["name"]) == "s-1" and "Budi" not in str(sealed)
    assert sealed_form(FORM, "s-1", keys.key("s-1"))["applicant"]["name"] != sealed["applicant"]["name"]  # nonce
    assert Revealer(keys).reveal(sealed) == FORM and Revealer(keys).reveal(FORM) == FORM  # old plain events read


def test_a_value_moved_to_another_subject_or_altered_reads_as_erased_never_as_data():
    keys = sqlite_keystore(":memory:")
    value = seal("Budi", "s-1", keys.create("s-1", AT))
    keys.create("s-2", AT)
    moved = value.replace("s-1", "s-2", 1)
    altered = value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1]
    assert Revealer(keys).reveal([value, moved, altered]) == ["Budi", ERASED, ERASED]
    assert Revealer(keys).reveal({"n": value}, erased=frozenset({"s-1"})) == {"n": ERASED}
