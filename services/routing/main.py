"""Entry point: `python -m services.routing.main`."""
from __future__ import annotations

import uvicorn

from services.routing.bootstrap import bootstrap
from shared.settings import Settings


def main() -> None:
    settings = Settings()
    uvicorn.run(bootstrap(settings).http, host=settings.host, port=settings.routing_port, log_level="warning")


if __name__ == "__main__":
    main()
