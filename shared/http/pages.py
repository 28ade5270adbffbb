"""Cursor pagination for every list the API answers: `?limit=&after=`, a stable order, and `next`.

A cursor is the sort key of the last item handed out, base64url-encoded JSON: opaque to clients,
stable under inserts (no offsets that shift), and checked when it comes back.
"""
from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from shared.http.errors import ApiError

T = TypeVar("T")
MAX_LIMIT = 500
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"items per page, at most {MAX_LIMIT}")]
After = Annotated[str | None, Query(max_length=512, pattern=r"^[A-Za-z0-9_=-]+$",
                                    description="the `next` cursor of the previous page")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next: str | None = Field(None, description="Cursor of the next page (pass as ?after=); null on the last page")


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str | None, arity: int, types: tuple[type, ...] | None = None) -> list[Any] | None:
    """The sort key a cursor carries, or a 422 when it is not one this API handed out.

    `types`, one per key part, when the caller compares the key with its own: a forged
    cursor with a string where an int belongs must be a 422, not a TypeError (500)."""
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        key = None
    if not isinstance(key, list) or len(key) != arity or not all(isinstance(k, (str, int)) for k in key):
        raise ApiError(422, "after= is not a cursor this API handed out", code="invalid_cursor")
    if types is not None and not all(isinstance(k, t) for k, t in zip(key, types, strict=True)):
        raise ApiError(422, "after= is not a cursor this API handed out", code="invalid_cursor")
    return key


def page_of(rows: list[T], limit: int, key_of: Any) -> dict[str, Any]:
    """`rows` fetched with limit + 1: the page, and a cursor when there is more."""
    more = len(rows) > limit
    items = rows[:limit]
    return {"items": items, "next": encode_cursor(key_of(items[-1])) if more and items else None}
