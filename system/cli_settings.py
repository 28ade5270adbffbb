"""Where `sop` finds the running system: the same settings the services read (SOP_* and .env), options on top."""
from __future__ import annotations

import os

from shared.settings import Settings

API_HINT = "set SOP_HOST/SOP_INTAKE_PORT or --api"
SLA_HINT = "set SOP_SLA_URL or SOP_HOST/SOP_SLA_PORT, or --api"
REDIS_HINT = "set SOP_REDIS_URL (or REDIS_URL)"


def settings() -> Settings:
    return Settings()


def api_url(given: str | None, s: Settings) -> str:
    """The gateway: the option, else where the services put it."""
    return (given or f"http://{s.host}:{s.intake_port}").rstrip("/")


def sla_url(given: str | None, s: Settings) -> str:
    """The SLA service as the gateway finds it (services/intake/bootstrap.py), unless told otherwise."""
    return (given or s.sla_url or f"http://{s.host}:{s.sla_port}").rstrip("/")


def redis_url(s: Settings) -> str:
    """As `sop up` chooses (system/launcher.py): SOP_REDIS_URL or REDIS_URL when set; else the Redis it last
    ran on, saved in the data dir (the embedded one is a socket there); else the services' setting."""
    explicit = os.environ.get("SOP_REDIS_URL") or os.environ.get("REDIS_URL")
    saved = s.data_dir / "redis.url"
    if explicit:
        return explicit
    return saved.read_text().strip() if saved.exists() else s.redis_url
