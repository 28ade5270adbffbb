"""Who may read which case (OWASP API1), from the read policy data (shared/sop/access.yaml).

Every case read and every command looks the case up and asks `case()`; lists get the caller's
visibility as a filter. A refusal answers 404 for a case (its existence is not confirmed to whoever
may not see it) or 403 for a route, and is recorded: a log line, a bounded Redis stream an operator
reads, and a counter. The record names the credential's id, never its key.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from prometheus_client import CollectorRegistry, Counter
from redis.asyncio import Redis

from services.intake.views.paging import CaseFilter
from shared.http.errors import ApiError
from shared.roles import Actor
from shared.sop.access import ReadPolicy, acting_sops
from shared.sop.loader import SopLibrary

log = logging.getLogger("sop.security")
DENIALS_KEPT = 10_000


class Access:
    def __init__(self, policy: ReadPolicy, library: SopLibrary, redis: Redis, stream: str,
                 registry: CollectorRegistry):
        self.policy, self.library, self.redis, self.stream = policy, library, redis, stream
        self.denied = Counter("sop_access_denied", "Reads and commands refused by the read policy",
                              ["route", "role"], registry=registry)

    def visible(self, actor: Actor) -> CaseFilter | None:
        """The register rows this actor may see, or None when it may see no case at all."""
        scope = self.policy.scope(actor.roles)
        if scope == "all":
            return CaseFilter()
        if scope == "acting":
            return CaseFilter(sops=acting_sops(self.library, actor.roles))
        if scope == "own":
            return CaseFilter(owner=actor.id)
        return None

    def may_see(self, actor: Actor, row: dict[str, Any]) -> bool:
        rows = self.visible(actor)
        if rows is None:
            return False
        if rows.owner is not None and row.get("submitted_by") != rows.owner:
            return False
        return rows.sops is None or row.get("sop_id") in rows.sops

    async def case(self, actor: Actor, row: dict[str, Any] | None, route: str, case_id: str) -> dict[str, Any]:
        """The row, if this actor may see the case; 404 otherwise, the same as for no case at all."""
        if row is not None and self.may_see(actor, row):
            return row
        if row is not None:
            await self.record(actor, route, case_id)
        raise ApiError(404, f"no case {case_id}")

    async def lists(self, actor: Actor, route: str) -> CaseFilter:
        rows = self.visible(actor)
        if rows is None:
            await self.record(actor, route, None)
            raise ApiError(403, "your roles see no cases")
        return rows

    async def role_in(self, actor: Actor, allowed: tuple[str, ...], route: str) -> None:
        if not any(actor.has(r) for r in allowed):
            await self.record(actor, route, None)
            raise ApiError(403, f"this needs one of the roles {', '.join(allowed)}")

    async def record(self, actor: Actor, route: str, case_id: str | None) -> None:
        at = datetime.now(timezone.utc).isoformat()
        self.denied.labels(route, ",".join(actor.roles)).inc()
        log.warning("access denied: credential=%s roles=%s route=%s case=%s at=%s",
                    actor.id, ",".join(actor.roles), route, case_id, at)
        try:
            await self.redis.xadd(self.stream, {"credential": actor.id, "roles": ",".join(actor.roles),
                                                "route": route, "case_id": case_id or "", "at": at},
                                  maxlen=DENIALS_KEPT, approximate=True)
        except Exception:  # the refusal stands even when Redis cannot take the record; the log has it
            log.exception("could not record a denied access in %s", self.stream)
