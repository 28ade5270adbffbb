"""A service's FastAPI app: /health and /metrics (HTTP, process and build metrics included), the one error
shape, and a lifespan that runs its Runtime."""
from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Literal

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from shared.http.errors import install_error_handling
from shared.http.instrumentation import instrument

if TYPE_CHECKING:
    from shared.runtime import Runtime


class Health(BaseModel):
    service: str
    status: Literal["ok", "degraded"]
    redis: bool
    background_tasks_running: bool


def service_app(runtime: Runtime, title: str, **kwargs: Any) -> FastAPI:
    """A FastAPI app with /health and /metrics whose lifespan runs the runtime."""

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI):
        await runtime.start()
        yield
        await runtime.stop()

    # `middleware` (e.g. intake's guards) runs inside the request metrics that instrument() adds outermost.
    # No redirect for a trailing slash: an encoded `%2F` must not be turned into a 307 to another route.
    app = FastAPI(title=title, lifespan=lifespan, redirect_slashes=False, **kwargs)
    install_error_handling(app)
    instrument(app, runtime.registry, runtime.service)

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics of this service", response_class=Response,
             responses={200: {"content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}}}})
    def metrics() -> Response:
        return Response(generate_latest(runtime.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/health", tags=["operations"], summary="Liveness and readiness of this service",
             response_model=Health)
    async def health() -> dict[str, Any]:
        return await runtime.health()

    return app
