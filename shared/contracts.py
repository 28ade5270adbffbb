"""Messages that cross service boundaries over Redis Streams.

Domain events stay inside their service; what leaves is an `EventMessage`, a
versioned JSON document any language can read (schema: docs/event-message.schema.json,
channels: docs/asyncapi.yaml). Commands to routing travel as `StepCommand`.
"""
from __future__ import annotations

from datetime import datetime
from hashlib import sha1
from typing import Any, Literal
from uuid import NAMESPACE_URL

from pydantic import BaseModel, ConfigDict, Field

from shared.roles import ActingAs

SCHEMA = "sop.event/v1"
SERVICES = ("intake", "routing", "documents", "sla")


def event_stream(prefix: str, service: str) -> str:
    return f"{prefix}.{service}.events"


def command_stream(prefix: str) -> str:
    return f"{prefix}.routing.commands"


def case_command_stream(prefix: str) -> str:
    return f"{prefix}.routing.case-commands"


def dead_letter_stream(prefix: str, group: str) -> str:
    return f"{prefix}.deadletter.{group}"


class EventMessage(BaseModel):
    """One stored domain event as published: the fact, who did it, and where it sits in its log."""

    model_config = ConfigDict(frozen=True)

    schema_: Literal["sop.event/v1"] = Field(SCHEMA, alias="schema")
    event_id: str = Field(description="Unique across every service's stream, and stable: the same stored event "
                                      "always has this id (a dead-letter retry's copy too)")
    type: str = Field(description="Past-tense fact, e.g. RequestSubmitted, StepCompleted, CaseClosed")
    source: str = Field(description="The service whose event store holds the event")
    position: int = Field(description="Notification id in the source's log; strictly increasing")
    case_id: str
    sop_id: str
    sop_version: int
    step: int | None = None
    actor: ActingAs | None = None
    decision: str | None = None
    note: str | None = None
    occurred_at: datetime = Field(description="When it happened (as told by the actor)")
    recorded_at: datetime = Field(description="When the service stored it")
    data: dict[str, Any] = Field(default_factory=dict, description="Fields particular to the type")

    def to_wire(self) -> dict[str, str]:
        return {"type": self.type, "case_id": self.case_id, "payload": self.model_dump_json(by_alias=True)}

    @classmethod
    def from_wire(cls, fields: dict[bytes | str, bytes | str]) -> EventMessage:
        payload = fields.get(b"payload", fields.get("payload"))
        if payload is None:
            raise ValueError("stream entry has no 'payload' field")
        return cls.model_validate_json(payload)


class StepCommand(BaseModel):
    """Complete the current step of a case: sent by the API gateway, handled by routing."""

    command_id: str
    case_id: str
    step: int
    decision: str
    actor_id: str
    actor_name: str
    actor_roles: tuple[str, ...]
    note: str | None = None
    withheld_parts: list[dict[str, str]] | None = None
    draft: str | None = None
    attachments: list[dict[str, Any]] | None = Field(
        None, description="Files uploaded beforehand: sha256, name, media_type, size")
    occurred_at: datetime | None = None


class CaseCommand(BaseModel):
    """Pause or resume a case's clocks, or extend its statutory deadline: sent by the gateway to routing."""

    command_id: str
    case_id: str
    action: Literal["pause", "resume", "extend_deadline"]
    reason: str | None = None
    actor_id: str
    actor_name: str
    actor_roles: tuple[str, ...]
    occurred_at: datetime | None = None


class CommandResult(BaseModel):
    ok: bool
    status: int = 200
    code: str | None = None
    reason: str | None = None
    case: dict[str, Any] | None = None


NAMESPACE_URL_BYTES = NAMESPACE_URL.bytes


def stable_event_id(source: str, originator_id: object, version: int) -> str:
    """The same stored event always gets the same id, however often it is published, and no two services'
    events share one.

    Keyed on the publishing service too: aggregates of different services may share an id (routing's Case
    takes the id of intake's Request, and both start at version 1). Within one service an aggregate's id
    and version name one stored event, and a relay publishes at most one message per stored event.
    """
    # uuid5(NAMESPACE_URL, name) spelled out, without the UUID object: every published event and every
    # event a rebuild reads goes through here.
    digest = bytearray(sha1(NAMESPACE_URL_BYTES + f"sop-event:{source}:{originator_id}/{version}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
