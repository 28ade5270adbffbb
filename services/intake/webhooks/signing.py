"""Webhook signatures, the way Stripe signs: `SOP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`, the HMAC
keyed with the endpoint's secret over `"<t>.<raw body>"`. The timestamp inside the signed bytes lets a receiver
refuse a replayed delivery (older than its tolerance); `verify` is what the README's receiver does."""
from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "SOP-Signature"
DELIVERY_HEADER = "SOP-Delivery-Id"  # the same on every attempt of a delivery: what a receiver dedupes on
EVENT_HEADER = "SOP-Event-Type"
TOLERANCE_S = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, now: float | None = None, tolerance_s: int = TOLERANCE_S) -> bool:
    """Whether `header` signs `body` with `secret`, made within `tolerance_s` of `now`."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance_s:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
