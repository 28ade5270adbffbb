"""Entry point: `python -m services.routing.main`."""
from __future__ import annotations

from services.routing.bootstrap import bootstrap
from shared.http.serve import serve
from shared.settings import Settings


def main() -> None:
    settings = Settings()
    serve(bootstrap(settings).http, settings, settings.routing_port)


if __name__ == "__main__":
    main()
