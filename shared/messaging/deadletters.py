"""Parked poison messages: where an operator can list them, send them back, or drop them with a reason."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from redis.asyncio import Redis


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def list_dead_letters(redis: Redis, prefix: str) -> list[dict[str, str]]:
    found = []
    async for key in redis.scan_iter(match=f"{prefix}.deadletter.*", _type="stream"):
        for entry_id, fields in await redis.xrange(key):
            row = {_text(k): _text(v) for k, v in fields.items() if _text(k) != "payload"}
            found.append({"dead_letter_stream": _text(key), "id": _text(entry_id), **row})
    return found


async def retry_dead_letter(redis: Redis, dead_letter_stream: str, entry_id: str) -> str:
    """Puts a parked message back on its stream, marked for the group that parked it: that group's
    follower applies it although it lies below its head (and skips it if its store already holds that
    position); the other groups reading the stream skip it."""
    found = await redis.xrange(dead_letter_stream, min=entry_id, max=entry_id)
    if not found:
        raise KeyError(f"no dead letter {entry_id} in {dead_letter_stream}")
    fields = {_text(k): v for k, v in found[0][1].items()}
    original = {k: fields[k] for k in ("type", "case_id", "payload") if k in fields} | {
        "retried_for": fields["group"]}
    # Two steps, not MULTI: the two streams lie in different slots of a Redis Cluster. A crash between
    # them leaves the message parked and sent back; sent back twice it is still applied once.
    new_id = await redis.xadd(_text(fields["original_stream"]), original)
    await redis.xdel(dead_letter_stream, entry_id)
    return _text(new_id)


def dropped_stream(prefix: str) -> str:
    """Outside `{prefix}.deadletter.*`, so what was dropped is never listed, counted or sent back as parked."""
    return f"{prefix}.dropped-dead-letters"


async def drop_dead_letter(redis: Redis, prefix: str, dead_letter_stream: str, entry_id: str, reason: str, by: str,
                           at: datetime | None = None) -> str:
    """Deletes a parked message for good, and records in `dropped_stream` who dropped it, when and why,
    with every field it was parked with (payload included), so an auditor sees what was given up."""
    found = await redis.xrange(dead_letter_stream, min=entry_id, max=entry_id)
    if not found:
        raise KeyError(f"no dead letter {entry_id} in {dead_letter_stream}")
    record = {**found[0][1], "dead_letter_stream": dead_letter_stream, "dead_letter_id": entry_id,
              "dropped_by": by, "dropped_at": (at or datetime.now(timezone.utc)).isoformat(), "reason": reason}
    # Recorded first, deleted second (different cluster slots): a crash between leaves it parked with
    # its drop on record, and dropping it again records a second line, never a drop without one.
    new_id = await redis.xadd(dropped_stream(prefix), record)
    await redis.xdel(dead_letter_stream, entry_id)
    return _text(new_id)


async def list_dropped(redis: Redis, prefix: str) -> list[dict[str, str]]:
    return [{"id": _text(entry_id), **{_text(k): _text(v) for k, v in fields.items() if _text(k) != "payload"}}
            for entry_id, fields in await redis.xrange(dropped_stream(prefix))]


async def dead_letter_page(redis: Redis, prefix: str, limit: int, after: tuple[str, str] | None = None,
                           group: str | None = None) -> list[dict[str, str]]:
    """Up to `limit + 1` parked messages in (stream, id) order after `after`, reading only what it answers."""
    pattern = f"{prefix}.deadletter.{group}" if group else f"{prefix}.deadletter.*"
    streams = sorted({_text(k) async for k in redis.scan_iter(match=pattern, _type="stream")})
    found: list[dict[str, str]] = []
    for key in streams:
        if after and key < after[0]:
            continue
        start = f"({after[1]}" if after and key == after[0] else "-"
        for entry_id, fields in await redis.xrange(key, min=start, count=limit + 1 - len(found)):
            row = {_text(k): _text(v) for k, v in fields.items() if _text(k) != "payload"}
            found.append({"dead_letter_stream": key, "id": _text(entry_id), **row})
        if len(found) > limit:
            break
    return found
