"""docs/asyncapi.yaml, generated from the event models (shared/events.py) and the stream names: the
channels each service publishes, one message per type with its model's schema and docstring."""
from __future__ import annotations

from typing import Any

import yaml

from shared.contracts import case_command_stream, command_stream, dead_letter_stream, event_stream
from shared.events import PUBLISHED_BY

PREFIX = "sop"
ABOUT = """\
Every stored domain event of a service is published by that service's relay to
`{prefix}.{service}.events` (default prefix `sop`). An entry has three string fields:
`type` (e.g. StepCompleted), `case_id`, and `payload`, a JSON document that follows
event-message.schema.json: one model per `type`, which fixes the shape of `data`.
Read with a consumer group of your own created at id 0
(`XGROUP CREATE <stream> <group> 0 MKSTREAM`), acknowledge with XACK, and deduplicate
on (`source`, `position`) or on `event_id`: a relay publishes each stored event once,
but an operator's dead-letter retry puts a copy back on the stream. `event_id` is unique
across all services' streams (a case's RequestSubmitted and CaseOpened have different ids)
and stable: the copy has the id of the original. Every routing message carries
`data.case_version`, the case's own order (1, 2, ...).
Ordering: `position` increases strictly within one stream; there is no order across streams.
"""
DEAD_LETTERS = """\
Events a reader group gave up on after `max_deliveries` attempts. Fields: the original
`type`, `case_id`, `payload`, plus `original_stream`, `original_id`, `group`,
`deliveries`, `error`. `sop dead-letters --retry STREAM/ID` puts one back.
"""


def ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/{kind}/{name}"}


def document() -> dict[str, Any]:
    channels: dict[str, Any] = {
        f"{service}Events": {"address": event_stream(PREFIX, service),
                             "messages": {t.__name__: ref("components/messages", t.__name__) for t in types}}
        for service, types in PUBLISHED_BY.items()}
    channels["routingCommands"] = {
        "address": command_stream(PREFIX), "messages": {"StepCommand": ref("components/messages", "StepCommand")},
        "description": "Step commands from the API gateway to routing (request/reply; internal)."}
    channels["routingCaseCommands"] = {
        "address": case_command_stream(PREFIX), "messages": {"CaseCommand": ref("components/messages", "CaseCommand")},
        "description": "Pause, resume and deadline-extension commands from the gateway to routing (request/reply; "
                       "internal)."}
    channels["deadLetters"] = {"address": dead_letter_stream(PREFIX, "{group}"), "description": DEAD_LETTERS,
                               "parameters": {"group": {"description": "reader group name"}}}
    messages: dict[str, Any] = {
        t.__name__: {"summary": (t.__doc__ or "").strip(),
                     "payload": {"$ref": f"event-message.schema.json#/$defs/{t.__name__}"}}
        for types in PUBLISHED_BY.values() for t in types}
    messages |= {"StepCommand": {"payload": {"$ref": "step-command.schema.json"}},
                 "CaseCommand": {"payload": {"$ref": "case-command.schema.json"}}}
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "SOP case backend: Redis Streams", "version": "1.0.0", "description": ABOUT},
        "defaultContentType": "application/json",
        "servers": {"redis": {"host": "127.0.0.1:6379", "protocol": "redis"}},
        "channels": channels,
        "operations": {f"consume{service.capitalize()}Events": {
            "action": "receive", "channel": ref("channels", f"{service}Events")} for service in PUBLISHED_BY},
        "components": {"messages": messages},
    }


def render() -> str:
    return yaml.safe_dump(document(), sort_keys=False, allow_unicode=True, width=110)
