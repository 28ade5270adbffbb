"""Turns a step command into a use-case call and its answer into a reply for the gateway."""
from __future__ import annotations

import logging
from typing import Any

from services.routing.application import CaseNotFound, Conflict, Routing
from services.routing.domain import Case
from shared.contracts import CaseCommand, CommandResult, StepCommand
from shared.sop.machine import Refused

log = logging.getLogger(__name__)
STATUS_OF_REFUSAL = {"wrong_role": 403, "case_closed": 409, "wrong_step": 409, "case_paused": 409,
                     "not_paused": 409, "already_extended": 409}


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "case_id": str(case.id), "sop_id": case.sop_id, "sop_version": case.sop_version,
        "register_number": case.register_number, "current_step": case.current_step,
        "outcome": case.outcome, "paused": case.paused_since is not None,
        "deadline_extended": case.deadline_extended, "version": case.version,
    }


def handle_command(routing: Routing, command: StepCommand | CaseCommand) -> CommandResult:
    try:
        case = routing.complete_step(command) if isinstance(command, StepCommand) else routing.hold(command)
    except CaseNotFound as exc:
        return CommandResult(ok=False, status=404, code="case_not_found", reason=str(exc))
    except Refused as exc:
        return CommandResult(ok=False, status=STATUS_OF_REFUSAL.get(exc.code, 422), code=exc.code, reason=exc.reason)
    except Conflict as exc:
        return CommandResult(ok=False, status=409, code="conflict", reason=str(exc))
    except Exception as exc:  # the gateway must hear something, never a silent timeout
        log.exception("step command %s failed", command.command_id)
        return CommandResult(ok=False, status=500, code="internal_error", reason=type(exc).__name__)
    return CommandResult(ok=True, case=case_summary(case))
