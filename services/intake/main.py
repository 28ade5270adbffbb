"""Entry point: `python -m services.intake.main` serves the portal API."""
from __future__ import annotations

import uvicorn

from services.intake.bootstrap import bootstrap
from shared.settings import Settings


def main() -> None:
    settings = Settings()
    _, app = bootstrap(settings)
    uvicorn.run(app, host=settings.host, port=settings.intake_port, log_level="warning")


if __name__ == "__main__":
    main()
