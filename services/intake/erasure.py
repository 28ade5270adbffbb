"""Erasing an applicant's personal data (UU 27/2022 Pelindungan Data Pribadi), as far as the archives allow.

The events are never changed: the erasure is an event of the request (`PersonalDataErased`, with the
legal basis, the reason and who asked) and the deletion of the subject's key, after which every sealed
field reads as the placeholder everywhere at once. The event is saved first and the key deleted after:
a failure between the two leaves a recorded erasure whose key still exists, and asking again finishes
it (an erasure already recorded answers as it did, and deletes the key again). The other order could
lose the data without a record of why. The archive rule (UU 43/2009 Kearsipan) is the SOP's own
`retention`: within it the request is refused and nothing changes.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from services.intake.application import Intake
from shared.agency import agency
from shared.pii.envelope import is_sealed
from shared.roles import Actor
from shared.sop.machine import Refused


def erase(intake: Intake, subject_id: str, legal_basis: str, reason: str, actor: Actor) -> dict[str, Any]:
    request = intake.request(subject_id)
    if request is None:
        raise Refused("unknown_subject", f"no data subject {subject_id}: it is the case id of a request")
    if request.erasure is None:
        if not any(is_sealed(v) for part in request.form.values() if isinstance(part, dict) for v in part.values()):
            raise refusal_of_clear_text(intake)
        refuse_within_retention(intake, request)
        now = intake.clock.now()
        request.erase(sop_id=request.sop_id, sop_version=request.sop_version, legal_basis=legal_basis,
                      reason=reason, erased_by={"id": actor.id, "name": actor.name, "role": "operator"},
                      occurred_at=now, recorded_at=now)
        intake.save(request)
    intake.keys.erase(subject_id, request.erasure["recorded_at"])
    return {"data_subject_id": subject_id, "case_id": subject_id, "register_number": request.register_number,
            "erased_at": request.erasure["recorded_at"], "legal_basis": request.erasure["legal_basis"],
            "reason": request.erasure["reason"]}


def refusal_of_clear_text(intake: Intake) -> Refused:
    """The request's personal data is in the log in clear: no deletion of a key can remove it."""
    if not intake.seal:
        return Refused("pii_encryption_off", "personal data encryption is off (SOP_PII_ENCRYPTION=false): this "
                                             "request's personal data is stored in clear text in the immutable "
                                             "event log and cannot be erased from it")
    return Refused("not_erasable", "this request was recorded before personal data was sealed: "
                                   "its data cannot be erased from the log")


def refuse_within_retention(intake: Intake, request: Any) -> None:
    rule = intake.library.get(request.sop_id, request.sop_version).retention
    if rule is None:
        return
    registered = request.occurred_at.astimezone(agency().tz).date()
    until = _years_after(registered, rule.years)
    if intake.clock.now().astimezone(agency().tz).date() < until:
        raise Refused("retention_period", f"the records of {request.register_number} are kept until "
                                          f"{until.isoformat()} under {rule.basis}: erasure is refused until then")


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February: the period ends on 1 March
        return date(day.year + years, 3, 1)
