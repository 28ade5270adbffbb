"""Wires documents: its event store, the renderer's settings, the PDF store, the bus and its HTTP app."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from prometheus_client import Histogram

from services.documents.application import Documents
from services.documents.as_of import case_events
from services.documents.http import build_router
from services.documents.issuing import Issuer
from services.documents.messages import to_message
from services.documents.register_rows import GROUP, RegisterRows
from services.documents.rendering import LetterheadSettings
from services.documents.signing_keys import load_signer, resolved
from shared.blobs_sql import open_blobs
from shared.clock import SystemClock
from shared.eventstore import store_env
from shared.http.as_of import case_events_router
from shared.http.service_app import service_app
from shared.pii.keystore import open_keystore
from shared.pii.reveal import Revealer
from shared.runtime import Runtime
from shared.settings import Settings
from shared.sop.loader import DEFAULT_DIR, SopLibrary
from shared.sql.place import store_place


@dataclass
class DocumentsService:
    app: Documents
    register: RegisterRows
    runtime: Runtime
    http: FastAPI


def issuer(settings: Settings, library: SopLibrary | None = None) -> Issuer:
    library = library or SopLibrary.from_directory(settings.sop_dir or DEFAULT_DIR)
    blobs = open_blobs(settings, "documents-blobs", settings.data_dir / "documents")
    return Issuer(library, LetterheadSettings(), settings.public_base(), blobs,
                  revealer=Revealer(open_keystore(settings)))


def bootstrap(settings: Settings | None = None) -> DocumentsService:
    settings = settings or Settings()
    load_signer(resolved(data_dir=settings.data_dir))  # a signing key that cannot be used stops the service here, saying why
    runtime = Runtime("documents", settings)
    renders = Histogram("sop_document_render_seconds", "Time to render one document revision to PDF (in the pool)",
                        ["kind"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5), registry=runtime.registry)
    documents = Documents(issuer(settings), env=store_env(settings, "documents"))
    documents.issuer.observe = lambda kind, seconds: renders.labels(kind).observe(seconds)
    runtime.on_stop.append(documents.issuer.pool.shutdown)
    register = RegisterRows(store_place(settings, GROUP))
    runtime.add_relay(documents, to_message)
    # Intake's stream too: its erasures remove the PDFs that held the applicant's data.
    runtime.follow(["routing", "intake"], "documents", documents.handle_batch,
                   documents.recorder.max_tracking_id)
    runtime.follow(["intake", "routing"], GROUP, register.apply_batch, register.head)
    http = service_app(runtime, "SOP documents service")
    http.include_router(build_router(documents, register))
    http.include_router(case_events_router("documents", lambda case_id: case_events(documents, case_id),
                                           SystemClock().now))
    return DocumentsService(documents, register, runtime, http)
