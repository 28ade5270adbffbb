"""Entry point: `python -m services.sla.main`."""
from __future__ import annotations

import uvicorn

from services.sla.bootstrap import bootstrap
from shared.settings import Settings


def main() -> None:
    settings = Settings()
    uvicorn.run(bootstrap(settings).http, host=settings.host, port=settings.sla_port, log_level="warning")


if __name__ == "__main__":
    main()
