"""Entry point: `python -m services.intake.main` serves the portal API."""
from __future__ import annotations

from services.intake.bootstrap import bootstrap
from shared.http.serve import serve
from shared.settings import Settings


def main() -> None:
    settings = Settings()
    _, app = bootstrap(settings)
    serve(app, settings, settings.intake_port)


if __name__ == "__main__":
    main()
