"""Wires documents: its event store, the SOP library, the clock, the bus and its HTTP app."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from services.documents.application import Documents
from services.documents.messages import to_message
from shared.clock import Clock, SystemClock
from shared.eventstore import store_env
from shared.runtime import Runtime, service_app
from shared.settings import Settings
from shared.sop.loader import DEFAULT_DIR, SopLibrary


@dataclass
class DocumentsService:
    app: Documents
    runtime: Runtime
    http: FastAPI


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> DocumentsService:
    settings = settings or Settings()
    library = SopLibrary.from_directory(settings.sop_dir or DEFAULT_DIR)
    documents = Documents(library, clock or SystemClock(), env=store_env(settings, "documents"))
    runtime = Runtime("documents", settings)
    runtime.add_relay(documents, to_message)

    runtime.add_consumer(["routing"], "documents", documents.handle_message)
    http = service_app(runtime, "SOP documents service")

    # async: runs on the event loop thread, beside the consumer, not in a worker thread.
    @http.get("/cases/{case_id}/outputs", tags=["documents"], summary="The output records of a case's steps")
    async def case_outputs(case_id: str) -> list[dict[str, Any]]:
        return documents.outputs(case_id)

    return DocumentsService(documents, runtime, http)
