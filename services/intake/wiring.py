"""Everything the intake API needs, in one place."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.responses import JSONResponse
from faststream.redis import RedisBroker

from services.intake.application import Intake
from services.intake.auth import Authenticator
from shared.blobs import BlobStore
from shared.contracts import CaseCommand, CommandResult, StepCommand, case_command_stream, command_stream
from shared.projections.store import ViewStore
from shared.runtime import Runtime
from shared.settings import Settings
from shared.sop.loader import SopLibrary


@dataclass
class IntakeService:
    settings: Settings
    intake: Intake
    views: ViewStore
    library: SopLibrary
    auth: Authenticator
    runtime: Runtime
    broker: RedisBroker
    blobs: BlobStore

    async def send(self, command: StepCommand | CaseCommand) -> CommandResult:
        """A command to routing over its stream; routing's reply, or a 504 that says what to do."""
        prefix = self.settings.stream_prefix
        stream = command_stream(prefix) if isinstance(command, StepCommand) else case_command_stream(prefix)
        try:
            reply = await self.broker.request(command, stream=stream, timeout=self.settings.command_timeout_s)
        except TimeoutError:
            return CommandResult(
                ok=False, status=504, code="routing_timeout",
                reason="routing did not answer in time; the step may still be completed: "
                       "read the case, or resend with the same Idempotency-Key",
            )
        return CommandResult.model_validate(await reply.decode())

    async def answer(self, command: StepCommand | CaseCommand) -> Any:
        """Sends the command; the case summary on success, routing's refusal as a JSON error otherwise."""
        result = await self.send(command)
        if not result.ok:
            return JSONResponse({"error": result.code, "reason": result.reason}, status_code=result.status)
        return result.case or {}

    def describe(self, row: dict[str, Any]) -> dict[str, Any]:
        """A register row plus what the SOP says about its current step."""
        found = dict(row)
        found.pop("routing_position", None)
        step = None
        if row["current_step"] is not None and row["sop_id"]:
            step = self.library.get(row["sop_id"], row["sop_version"]).step(row["current_step"])
        found["current"] = None if step is None else {
            "step": step.number, "role": step.role, "text": step.text, "text_en": step.text_en,
            "standard_time": step.standard_time.label(), "outputs": list(step.outputs),
            "decisions": [{"id": d.id, "label": d.label, "label_en": d.label_en, "requires": list(d.requires)}
                          for d in step.decisions],
        }
        return found
