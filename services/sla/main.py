"""Entry point: `python -m services.sla.main`."""
from __future__ import annotations

from services.sla.bootstrap import bootstrap
from shared.http.serve import serve
from shared.settings import Settings


def main() -> None:
    settings = Settings()
    serve(bootstrap(settings).http, settings, settings.sla_port)


if __name__ == "__main__":
    main()
