"""Idempotency-Key as portals know it (IETF draft-ietf-httpapi-idempotency-key-header, Stripe):
a key belongs to one credential and one route; the same key with the same body gets the first answer
again; with another body or on another route it is refused (422 idempotency_key_reused) and nothing
changes. Answers are kept `ttl_s` (24 h) in Redis, so every intake replica sees them.

Behind this record, the command id routing deduplicates on is derived from (credential, route, key):
if Redis loses the record, a retry is still applied once.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from redis.asyncio import Redis

from shared.http.errors import ApiError


def command_id(credential: str, route: str, key: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"sop-idempotency:{credential}\n{route}\n{key}")


def fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class Claim:
    """What the caller does next: `answer` to replay, or run the command and `settle` it."""

    redis_key: str
    answer: tuple[int, Any] | None = None


class IdempotencyKeys:
    def __init__(self, redis: Redis, prefix: str, ttl_s: int, in_flight_s: float):
        self.redis, self.prefix, self.ttl_s, self.in_flight_s = redis, prefix, ttl_s, in_flight_s

    async def claim(self, credential: str, route: str, key: str, body: Any) -> Claim:
        scope = hashlib.sha256("\n".join((credential, key)).encode()).hexdigest()
        redis_key = f"{self.prefix}.idempotency.{scope}"
        mine = {"route": route, "body": fingerprint(body), "since": time.time()}
        if await self.redis.set(redis_key, json.dumps(mine), nx=True, ex=self.ttl_s):
            return Claim(redis_key)
        raw = await self.redis.get(redis_key)
        if raw is None:  # expired between the two calls: claim it afresh
            return await self.claim(credential, route, key, body)
        first = json.loads(raw)
        if first["route"] != route:
            raise ApiError(422, f"this Idempotency-Key was used for {first['route']}; use a new key for "
                                f"{route}", code="idempotency_key_reused")
        if first["body"] != mine["body"]:
            raise ApiError(422, "this Idempotency-Key was used with another body; use a new key for a new "
                                "request", code="idempotency_key_reused")
        if "status" in first:
            return Claim(redis_key, (first["status"], first["answer"]))
        if time.time() - first["since"] < self.in_flight_s:
            raise ApiError(409, "a request with this Idempotency-Key is still in progress; retry shortly",
                           code="idempotency_key_in_use", headers={"Retry-After": "1"})
        return Claim(redis_key)  # the first attempt died before its answer: run it again (deduplicated)

    async def settle(self, claim: Claim, route: str, body: Any, status: int, answer: Any) -> None:
        """Keeps the answer for retries; a server error is not kept, so a retry runs again."""
        if status >= 500:
            await self.redis.delete(claim.redis_key)
            return
        record = {"route": route, "body": fingerprint(body), "since": time.time(), "status": status,
                  "answer": answer}
        await self.redis.set(claim.redis_key, json.dumps(record, default=str), xx=True, keepttl=True)
