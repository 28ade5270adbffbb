"""Rate limits on every route: a token bucket per credential on the API, per client address on the public
routes (verification, tracking: the strictest, they answer anyone) and on requests with no or an unknown key
(so guessing keys is slow too).

In this process, in memory: a bucket is a float and a time, checked without a round trip, and intake's
buckets are what protects intake's own CPU. With N replicas behind a load balancer a client gets up to N
times the rate (each replica counts alone); a shared limit would need Redis (one script call per request),
or the balancer's own limiter in front. Every answer says where the caller stands (IETF RateLimit draft
headers, and the X-RateLimit-* that GitHub's clients read); a refusal is a 429 with Retry-After.
"""
from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.intake.auth import Authenticator
from services.intake.middleware import header
from services.intake.portal_settings import PortalSettings
from shared.http.errors import error_response

PUBLIC_ROUTES = ("/verify", "/track")
BUCKETS_KEPT = 100_000  # a flood from many addresses cannot grow the table without bound


@dataclass
class Rule:
    rate_per_s: float
    burst: int


class Buckets:
    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.levels: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    def take(self, key: str, rule: Rule) -> tuple[bool, float, float]:
        """(allowed, tokens left, seconds until the next token)."""
        now = self.clock()
        tokens, at = self.levels.pop(key, (float(rule.burst), now))
        tokens = min(float(rule.burst), tokens + (now - at) * rule.rate_per_s)
        allowed = tokens >= 1
        if allowed:
            tokens -= 1
        self.levels[key] = (tokens, now)
        if len(self.levels) > BUCKETS_KEPT:
            self.levels.popitem(last=False)  # the least recently seen: a full bucket again when it returns
        return allowed, tokens, max(0.0, (1 - tokens) / rule.rate_per_s)


class RateLimits:
    """Outermost of intake's guards: it finds the credential (and hands it on, so it is looked up once)."""

    def __init__(self, app: ASGIApp, auth: Authenticator, settings: PortalSettings, buckets: Buckets | None = None):
        self.app, self.auth, self.buckets = app, auth, buckets or Buckets()
        self.credential = Rule(settings.rate_limit_per_s, settings.rate_limit_burst)
        self.public = Rule(settings.rate_limit_public_per_min / 60, settings.rate_limit_public_burst)
        self.anonymous = Rule(settings.rate_limit_anonymous_per_min / 60, settings.rate_limit_anonymous_burst)

    def rule_for(self, scope: Scope) -> tuple[str, Rule]:
        path = scope.get("path", "")
        client = (scope.get("client") or ("unknown", 0))[0]
        if any(path == p or path.startswith(p + "/") or path.startswith(p + "?") for p in PUBLIC_ROUTES):
            return f"public:{client}", self.public
        scheme, _, key = header(scope, b"authorization").partition(" ")
        if scheme.lower() == "bearer" and key.strip():
            try:
                actor = self.auth.actor(key.strip())
            except Exception:  # an unknown key: limited by address, then refused by AuthenticateFirst
                return f"anonymous:{client}", self.anonymous
            scope.setdefault("state", {})["actor"] = actor
            return f"credential:{hashlib.sha256(actor.id.encode()).hexdigest()[:16]}", self.credential
        return f"anonymous:{client}", self.anonymous

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        key, rule = self.rule_for(scope)
        allowed, left, next_token_s = self.buckets.take(key, rule)
        refill_s = (rule.burst - left) / rule.rate_per_s
        limits = {"RateLimit-Limit": str(rule.burst), "RateLimit-Remaining": str(math.floor(left)),
                  "RateLimit-Reset": str(math.ceil(refill_s))}
        limits |= {f"X-{k}": v for k, v in limits.items()}
        if not allowed:
            retry = str(max(1, math.ceil(next_token_s)))
            refused = error_response(429, "rate_limited", f"too many requests: {rule.burst} at once, then "
                                     f"{rule.rate_per_s:g} a second; retry after {retry} s",
                                     limits | {"Retry-After": retry})
            return await refused(scope, receive, send)

        async def with_limits(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      *((k.lower().encode(), v.encode()) for k, v in limits.items())]
            await send(message)
        await self.app(scope, receive, with_limits)


def document_rate_limits(app) -> None:
    """Every operation of the OpenAPI document declares the 429 and the headers every answer carries."""
    build = app.openapi
    described = {"RateLimit-Limit": "the bucket's size: requests allowed at once",
                 "RateLimit-Remaining": "requests left in it now",
                 "RateLimit-Reset": "seconds until it is full again"}
    headers = {k: {"description": v, "schema": {"type": "integer"}} for k, v in described.items()}
    headers |= {f"X-{k}": v for k, v in headers.items()}

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        for operations in schema["paths"].values():
            for operation in operations.values():
                answers = operation.setdefault("responses", {})
                for answer in answers.values():
                    answer.setdefault("headers", {}).update(headers)
                answers["429"] = {"description": "Too many requests: wait Retry-After seconds",
                                  "headers": headers | {"Retry-After": {"schema": {"type": "integer"}}},
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
        app.openapi_schema = schema
        return schema
    app.openapi = openapi
