"""Wires the SLA service: the SOP library, the working calendar, its read model, metrics, the bus.

No event store and no relay yet: the service only reads routing's events. Its
breach events (and the store they need) come in a later issue.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from services.sla.calendar import WorkingCalendar
from services.sla.metrics import SlaCollector
from services.sla.projection import SlaStore
from shared.runtime import Runtime, service_app
from shared.settings import Settings
from shared.sop.loader import DEFAULT_DIR, SopLibrary


@dataclass
class SlaService:
    store: SlaStore
    runtime: Runtime
    http: FastAPI


def bootstrap(settings: Settings | None = None, calendar: WorkingCalendar | None = None) -> SlaService:
    settings = settings or Settings()
    library = SopLibrary.from_directory(settings.sop_dir or DEFAULT_DIR)
    path = ":memory:" if settings.persistence == "memory" else settings.data_dir / "sla-views.db"
    store = SlaStore(path, library, calendar or WorkingCalendar())
    runtime = Runtime("sla", settings)
    runtime.add_consumer(["routing"], "sla", store.apply)
    runtime.registry.register(SlaCollector(store))
    http = service_app(runtime, "SOP SLA service")

    # async: runs on the event loop thread, beside the consumer, so the connection is never shared.
    @http.get("/cases/{case_id}/sla", tags=["sla"], summary="Each step visit of a case: started, due, completed")
    async def case_sla(case_id: str) -> list[dict[str, Any]]:
        return store.case(case_id)

    return SlaService(store, runtime, http)
