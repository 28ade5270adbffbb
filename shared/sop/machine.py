"""The one state machine that runs every SOP definition.

Given a definition, where a case stands and a proposed decision, it says what
happens next or why not. It holds no state and does no I/O: the Case aggregate
keeps the state, this decides.
"""
from __future__ import annotations

from dataclasses import dataclass

from shared.roles import Actor
from shared.sop.schema import Decision, SopDefinition, Step


class Refused(Exception):
    """A command the SOP does not allow; `code` is stable, `reason` is for people."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class Transition:
    step: Step
    decision: Decision

    @property
    def next_step(self) -> int | None:
        return self.decision.next

    @property
    def outcome(self) -> str | None:
        return self.decision.end


def current_step(sop: SopDefinition, number: int | None) -> Step | None:
    return sop.step(number) if number is not None else None


def decide(
    sop: SopDefinition,
    current: int | None,
    step_number: int,
    decision_id: str,
    actor: Actor,
    provided: frozenset[str] = frozenset(),
) -> Transition:
    """Checks a proposed decision at a step; `provided` names what the command carries."""
    if current is None:
        raise Refused("case_closed", "the case is closed; no step can be completed")
    if step_number != current:
        raise Refused("wrong_step", f"step {step_number} is not the current step; step {current} is")
    step = sop.step(current)
    assert step is not None, "a case never stands on a step its definition lacks"
    if not actor.has(step.role):
        raise Refused(
            "wrong_role",
            f"step {current} of {sop.id} is for role '{step.role}'; "
            f"{actor.id} has {', '.join(actor.roles) or 'no roles'}",
        )
    decision = step.decision(decision_id)
    if decision is None:
        allowed = ", ".join(d.id for d in step.decisions)
        raise Refused("unknown_decision", f"step {current} allows the decisions: {allowed}; not '{decision_id}'")
    missing = [r for r in decision.requires if r not in provided]
    if missing:
        raise Refused("missing_" + missing[0], f"decision '{decision_id}' requires {', '.join(missing)}")
    return Transition(step=step, decision=decision)
