"""Rules the Case checks before it records anything: who may pause, resume or extend a case, when,
and what the content of a step must be.

Each rule takes the fields of the case it reads, not the Case: the Case imports these rules, so they
cannot import the Case back."""
from __future__ import annotations

from datetime import datetime
from shared.roles import Actor
from shared.sop.machine import Refused
from shared.sop.schema import Decision, SopDefinition

def check_time(last_occurred_at: datetime, occurred_at: datetime, recorded_at: datetime) -> None:
    if occurred_at > recorded_at:
        raise Refused("invalid_time", "occurred_at lies in the future")
    if occurred_at < last_occurred_at:
        raise Refused("invalid_time", "occurred_at lies before the previous event of this case")


def hold_role(current_step: int | None, sop: SopDefinition, actor: Actor) -> str:
    """The role in which `actor` may pause or resume: the current step's, or one the SOP names."""
    if current_step is None:
        raise Refused("case_closed", "the case is closed")
    step = sop.step(current_step)
    allowed = (step.role,) + tuple(r for r in sop.pause_roles if r != step.role)
    role = next((r for r in allowed if actor.has(r)), None)
    if role is None:
        raise Refused("wrong_role", f"pausing or resuming this case needs one of the roles {', '.join(allowed)}")
    return role


def extension_role(current_step: int | None, deadline_extended: bool, sop: SopDefinition, actor: Actor) -> str:
    clock = sop.statutory_clock
    if clock is None:
        raise Refused("no_statutory_clock", f"{sop.id} has no statutory deadline to extend")
    if current_step is None:
        raise Refused("case_closed", "the case is closed")
    if deadline_extended:
        raise Refused("already_extended", f"the deadline under {clock.basis} may be extended only once")
    role = next((r for r in clock.extension_roles if actor.has(r)), None)
    if role is None:
        raise Refused("wrong_role", f"extending the deadline needs one of the roles {', '.join(clock.extension_roles)}")
    return role


def require_reason(reason: str | None) -> str:
    if not reason or not reason.strip():
        raise Refused("missing_reason", "a written reason is required")
    return reason


def check_attachment_types(decision: Decision, attachments: list[dict]) -> None:
    allowed = decision.attachment_types
    wrong = [a.get("name", a.get("sha256")) for a in attachments if allowed and a.get("media_type") not in allowed]
    if wrong:
        raise Refused("wrong_attachment_type",
                      f"decision '{decision.id}' takes {', '.join(allowed)}; not {', '.join(map(str, wrong))}")
