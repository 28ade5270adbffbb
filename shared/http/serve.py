"""Serves a service's app: on SIGTERM uvicorn stops accepting, lets the requests in hand finish for at
most `shutdown_grace_s`, then the lifespan stops the runtime (subscribers, relays, hints)."""
from __future__ import annotations

from typing import Any

import uvicorn

from shared.settings import Settings


def serve(app: Any, settings: Settings, port: int) -> None:
    uvicorn.run(app, host=settings.host, port=port, log_level="warning",
                timeout_graceful_shutdown=int(max(1, settings.shutdown_grace_s)))
