"""Settings of what intake offers portals beyond the case API: webhooks and rate limits (prefix SOP_)."""
from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class PortalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOP_", env_file=".env", extra="ignore")

    # The change feed's long poll waits at most this long: under the idle timeouts of the proxies between a
    # portal and this API (60 s is common).
    feed_max_wait_s: float = 30.0

    # Webhooks. Development only: also http:// and loopback/private addresses (a receiver on this machine).
    webhook_allow_private: bool = False
    # A delivery is tried until it succeeds or this long has passed since its first attempt (3 days, as
    # Stripe does), then parked as a dead letter of its endpoint.
    webhook_retry_period_s: float = 3 * 24 * 3600
    webhook_backoff_base_s: float = 30.0   # the wait after the first failure; doubled each time ...
    webhook_backoff_max_s: float = 3600.0  # ... up to this, each wait drawn between its half and itself
    webhook_timeout_s: float = 10.0        # connect + answer; a receiver should answer 2xx first, work after
    webhook_concurrency: int = 16          # deliveries in flight at once, over every endpoint
    webhook_poll_s: float = 1.0            # the dispatcher also wakes on every batch the views apply
    webhooks_per_credential: int = 10

    # Rate limits (token buckets, in this process: see services/intake/rate_limits.py).
    rate_limit_per_s: float = 100.0        # a credential's sustained rate on the API
    rate_limit_burst: int = 500
    rate_limit_public_per_min: float = 30.0  # per client address: verification, tracking
    rate_limit_public_burst: int = 10
    rate_limit_anonymous_per_min: float = 120.0  # per address: no or unknown key, /health, /metrics, /docs
    rate_limit_anonymous_burst: int = 60
