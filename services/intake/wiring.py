"""Everything the intake API needs, in one place."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from services.intake.access import Access
from services.intake.application import Intake
from services.intake.auth import Authenticator
from services.intake.idempotency import IdempotencyKeys
from services.intake.portal_settings import PortalSettings
from services.intake.pulse import Pulse
from services.intake.replies import Replies
from services.intake.upstream import Upstreams
from services.intake.views.store import ViewStore
from services.intake.webhooks.store import WebhookStore
from services.intake.case_files import CaseFiles
from shared.contracts import CaseCommand, CommandResult, StepCommand, case_command_stream, command_stream
from shared.http.errors import ApiError
from shared.roles import Actor
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
    replies: Replies
    files: CaseFiles
    access: Access
    keys: IdempotencyKeys
    upstreams: Upstreams
    pulse: Pulse
    portal: PortalSettings = field(default_factory=PortalSettings)
    webhooks: WebhookStore = field(default_factory=lambda: WebhookStore(":memory:"))
    feed_name: str = "views"  # which numbering of the change feed the webhooks' positions refer to
    wake_webhooks: Any = lambda: None

    async def send(self, command: StepCommand | CaseCommand) -> CommandResult:
        """A command to routing over its stream; routing's reply, or a 504 that says what to do."""
        prefix = self.settings.stream_prefix
        stream = command_stream(prefix) if isinstance(command, StepCommand) else case_command_stream(prefix)
        try:
            return await self.replies.request(command, stream, self.settings.command_timeout_s)
        except TimeoutError:
            return CommandResult(
                ok=False, status=504, code="routing_timeout",
                reason="routing did not answer in time; the step may still be completed: "
                       "read the case, or resend with the same Idempotency-Key",
            )

    async def answer(self, command: StepCommand | CaseCommand) -> tuple[int, dict[str, Any]]:
        """Routing's answer as (status, body): the case summary, or the refusal as {error, reason}."""
        result = await self.send(command)
        if not result.ok:
            return result.status, {"error": result.code, "reason": result.reason}
        return 200, result.case or {}

    async def visible_case(self, actor: Actor, case_id: str, route: str, min_version: int = 0) -> dict[str, Any]:
        """The case's row for a caller who may see it (checked first, so nobody else waits or learns more
        than a 404), once it reflects `min_version`."""
        await self.access.case(actor, self.views.case(case_id) or self.intake.owner(case_id), route, case_id)
        row = await self.case_row(case_id, min_version)
        if row is None:
            raise ApiError(409, f"case {case_id} is registered but not yet readable; retry", code="not_yet_consistent",
                           headers={"Retry-After": "1"})
        return self.reached(row, min_version)

    async def case_row(self, case_id: str, min_version: int = 0) -> dict[str, Any] | None:
        """The case's register row, read-your-own-writes: waits (bounded) for a case intake registered
        but the read model has not opened yet, or for the version a command answered."""
        deadline = time.monotonic() + self.settings.read_wait_s
        while True:
            row = self.views.case(case_id)
            if row is not None and row["register_number"] and (row["case_version"] or 0) >= min_version:
                if min_version or row["current_step"] is not None or row["outcome"]:
                    return row
            if row is None and not self.intake.knows(case_id):
                return None
            if time.monotonic() > deadline:  # behind: `reached` says so once the caller may see the case
                return row if row is not None and row["register_number"] else None
            await self.pulse.wait(min(0.2, max(0.0, deadline - time.monotonic())))

    @staticmethod
    def reached(row: dict[str, Any], min_version: int) -> dict[str, Any]:
        """The row, if it reflects `min_version`; 409, not 503: the case as known here is behind."""
        if (row["case_version"] or 0) < min_version:
            raise ApiError(409, f"the read model has not reached version {min_version} of case {row['case_id']} "
                                "yet; retry", code="not_yet_consistent", headers={"Retry-After": "1"})
        return row

