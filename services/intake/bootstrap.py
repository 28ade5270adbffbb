"""Wires intake: the front desk's store, the read models, the API, the bus."""
from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware import Middleware

from services.intake.access import Access
from services.intake.admin import build_admin_router
from services.intake.audit_api import build_audit_router
from services.intake.application import Intake
from services.intake.auth import Authenticator
from services.intake.cases_api import build_cases_router
from services.intake.erasure_api import build_erasure_router
from services.intake.events_api import build_events_router
from services.intake.forwarded_api import build_forwarded_router
from services.intake.holds_api import build_holds_router
from services.intake.idempotency import IdempotencyKeys
from services.intake.lists_api import build_lists_router
from services.intake.messages import to_message
from services.intake.middleware import AuthenticateFirst, LimitBodies
from services.intake.pulse import Pulse
from services.intake.rate_limits import RateLimits, document_rate_limits
from services.intake.replies import Replies
from services.intake.track_api import build_track_router
from services.intake.uploads import build_uploads_router
from services.intake.upstream import Upstream, Upstreams
from services.intake.portal_settings import PortalSettings
from services.intake.views.store import VIEWS_VERSION, ViewStore, views_path
from services.intake.webhooks.delivery import start_webhooks
from services.intake.webhooks_api import build_webhooks_router
from services.intake.webhooks.store import WebhookStore
from services.intake.wiring import IntakeService
from services.intake.case_files import CaseFiles
from shared.blobs_sql import open_blobs
from shared.clock import Clock, SystemClock
from shared.contracts import SERVICES
from shared.eventstore import store_env
from shared.http.service_app import service_app
from shared.pii.keystore import open_keystore
from shared.runtime import Runtime
from shared.settings import Settings
from shared.sop.access import ReadPolicy
from shared.sop.loader import DEFAULT_DIR, SopLibrary
from shared.sql.place import store_place


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> tuple[IntakeService, FastAPI]:
    settings = settings or Settings()
    library = SopLibrary.from_directory(settings.sop_dir or DEFAULT_DIR)
    intake = Intake(library, clock or SystemClock(), env=store_env(settings, "intake"), keys=open_keystore(settings),
                    seal=settings.pii_encryption)
    views = ViewStore(views_path(settings))
    runtime = Runtime("intake", settings)
    runtime.add_relay(intake, to_message)
    pulse = Pulse()
    runtime.follow(list(SERVICES), f"intake-views-v{VIEWS_VERSION}", pulse.after(views.apply_batch), views.head)
    upstreams = Upstreams(Upstream(settings.url_of("sla"), "SLA"), Upstream(settings.url_of("documents"), "documents"),
                          Upstream(settings.url_of("routing"), "routing"))
    runtime.on_start.append(upstreams.open)
    runtime.on_stop.append(upstreams.close)
    prefix = settings.stream_prefix
    access = Access(ReadPolicy.from_file(settings.access_policy_file), library, runtime.redis,
                    f"{prefix}.security.denied", runtime.registry)
    keys = IdempotencyKeys(runtime.redis, prefix, settings.idempotency_ttl_s, settings.command_timeout_s + 5)
    files = CaseFiles(open_blobs(settings, "intake-blobs", settings.data_dir / "blobs"), intake.keys, seal=intake.seal)
    svc = IntakeService(settings, intake, views, library, Authenticator.from_file(settings.credentials_file),
                        runtime, Replies(runtime.broker, prefix), files, access, keys, upstreams,
                        pulse, PortalSettings(), webhook_store(settings), f"intake-views-v{VIEWS_VERSION}")
    start_webhooks(svc)
    # The key is checked before the body is read (the first runs first); service_app wraps both in the
    # request metrics, so what they refuse (401, 413) is counted too.
    guards = [Middleware(RateLimits, auth=svc.auth, settings=svc.portal),
              Middleware(AuthenticateFirst, auth=svc.auth),
              Middleware(LimitBodies, max_body_bytes=settings.max_body_bytes, max_upload_bytes=settings.max_upload_bytes)]
    app = service_app(runtime, "BAPPEDA Ketapang SOP case API", version="1.0.0", middleware=guards,
                      description="The case backend for government SOPs: submit requests, act on steps, "
                                  "read cases, inboxes, the register and audit trails.")
    app.include_router(build_lists_router(svc))
    app.include_router(build_cases_router(svc))
    app.include_router(build_holds_router(svc))
    app.include_router(build_forwarded_router(svc))
    app.include_router(build_uploads_router(svc))
    app.include_router(build_events_router(svc))
    app.include_router(build_webhooks_router(svc))
    app.include_router(build_track_router(svc))
    app.include_router(build_admin_router(svc))
    app.include_router(build_audit_router(svc))
    app.include_router(build_erasure_router(svc))
    document_rate_limits(app)
    return svc, app


def webhook_store(settings: Settings) -> WebhookStore:
    return WebhookStore(store_place(settings, "intake-webhooks"))
