"""Which fields of a submitted form are the applicant's personal data, sealed before the event is made.

The name, phone and e-mail (the contact, also at an institution) and the incoming letter's number and
stated purpose, which may name or point to a person. Left plain, on purpose: the institution (an
agency or organisation, the register's column that statistics count by), the subject and details of the
request (what the agency works on and answers publicly under UU 14/2008), the letter's date (its
deadlines are counted from it) and the tracking code (a credential, not data about anyone).
"""
from __future__ import annotations

from typing import Any

from shared.pii.envelope import seal

PERSONAL = {"applicant": ("name", "phone", "email"), "letter": ("number", "purpose_of_use")}


def sealed_form(form: dict[str, Any], subject_id: str, key: bytes) -> dict[str, Any]:
    sealed = dict(form)
    for part, names in PERSONAL.items():
        if isinstance(form.get(part), dict):
            sealed[part] = {k: seal(v, subject_id, key) if k in names and isinstance(v, str) else v
                            for k, v in form[part].items()}
    return sealed
