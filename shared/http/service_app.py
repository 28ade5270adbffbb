"""A service's FastAPI app: /health and /metrics (HTTP, process and build metrics included), the one error
shape, and a lifespan that runs its Runtime."""
from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Literal

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field

from shared.http.errors import ApiError, install_error_handling, responses
from shared.http.instrumentation import instrument

if TYPE_CHECKING:
    from shared.runtime import Runtime


class Health(BaseModel):
    service: str
    status: Literal["ok", "degraded"]
    ready: bool = Field(description="Taking work: what /health/ready answers 200 for")
    redis: bool
    background_tasks_running: bool
    problems: list[str] = Field(description="What keeps it from being ready, in words an operator acts on")


class Alive(BaseModel):
    service: str
    status: Literal["alive"]


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

    @app.get("/health", tags=["operations"], summary="Liveness and readiness of this service, with its problems",
             response_model=Health)
    async def health() -> dict[str, Any]:
        return await runtime.health()

    @app.get("/health/live", tags=["operations"], summary="Liveness: the process answers (restart it if not)",
             response_model=Alive)
    async def live() -> dict[str, Any]:
        return {"service": runtime.service, "status": "alive"}

    @app.get("/health/ready", tags=["operations"], summary="Readiness: it takes work (send it none if not)",
             response_model=Health, responses=responses(503))
    async def ready() -> dict[str, Any]:
        found = await runtime.health()
        if not found["ready"]:
            raise ApiError(503, "; ".join(found["problems"]), code="not_ready")
        return found

    return app
