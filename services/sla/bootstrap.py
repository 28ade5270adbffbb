"""Wires the SLA service: the SOP library, the working calendar, its read model, its own event
store with relay, the monitor's timer, metrics and HTTP."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from fastapi import FastAPI

from services.sla.application import Sla
from shared.working_calendar import AGENCY_ZONE, WorkingCalendar
from shared.calendar_settings import CalendarSettings, build_calendar
from services.sla.case_routes import build_case_router
from services.sla.domain import alerts_id
from services.sla.history import CaseHistory
from services.sla.messages import to_message
from services.sla.metrics import SlaCollector
from services.sla.monitor import run_timer
from services.sla.projection import SLA_VIEWS_VERSION, SlaStore, sla_views_place
from services.sla.report_routes import build_report_router
from services.sla.sla_settings import SlaSettings
from shared.clock import Clock, SystemClock
from shared.eventstore import store_env
from shared.history import published
from shared.http.as_of import case_events_router
from shared.http.service_app import service_app
from shared.runtime import Runtime
from shared.settings import Settings
from shared.sop.loader import DEFAULT_DIR, SopLibrary
from shared.staff import StaffDirectory

log = logging.getLogger(__name__)


@dataclass
class SlaService:
    store: SlaStore
    app: Sla
    runtime: Runtime
    http: FastAPI
    tick: Callable[[], int]  # what the timer calls: refresh the calendar when due, check open steps


def bootstrap(settings: Settings | None = None, calendar: WorkingCalendar | None = None,
              clock: Clock | None = None, sla_settings: SlaSettings | None = None) -> SlaService:
    """`calendar` fixes the calendar (tests); without it, it is built from SOP_CALENDAR_* and rebuilt
    every `calendar_refresh_seconds`, so a holiday decreed late or a new year is picked up."""
    settings, sla_settings, clock = settings or Settings(), sla_settings or SlaSettings(), clock or SystemClock()
    library = SopLibrary.from_directory(settings.sop_dir or DEFAULT_DIR)

    def current_calendar() -> WorkingCalendar:
        return build_calendar(CalendarSettings(), around=clock.now().astimezone(AGENCY_ZONE).date())

    refresh = None if calendar else current_calendar
    store = SlaStore(sla_views_place(settings), library, calendar or current_calendar())
    sla = Sla(store, sla_settings, env=store_env(settings, "sla"))
    runtime = Runtime("sla", settings)
    runtime.add_relay(sla, to_message)
    # Its own stream too: the alerts come back as at_risk_at / breached_at, so a rebuild has them.
    runtime.follow(["routing", "sla"], f"sla-views-v{SLA_VIEWS_VERSION}", store.apply_batch, store.head)
    last_refresh: list[datetime] = [clock.now()]

    def tick() -> int:
        now = clock.now()
        if refresh and (now - last_refresh[0]).total_seconds() >= sla_settings.calendar_refresh_seconds:
            last_refresh[0] = now
            try:
                sla.record_calendar(refresh(), now)
            except Exception:  # e.g. an override file edited badly: keep the calendar in use, say why
                log.exception("the working calendar could not be rebuilt; keeping the one in use")
        stored = sla.tick(now)
        runtime.wake_relays()
        return stored

    async def start_monitor() -> None:
        sla.record_calendar(store.calendar, clock.now())
        runtime.tasks.append(asyncio.create_task(run_timer(tick, sla_settings.tick_seconds, runtime.stopping)))

    runtime.on_start.append(start_monitor)
    http = service_app(runtime, "SOP SLA service")

    runtime.registry.register(SlaCollector(store, clock))
    http.include_router(build_report_router(store, library, clock, StaffDirectory.from_file(settings.staff_file)))
    history = CaseHistory(sla, settings.url_of("routing"))
    runtime.on_stop.append(history.close)
    http.include_router(build_case_router(store, history, clock))
    http.include_router(case_events_router(
        "SLA", lambda case_id: [m for _, m in published(sla, alerts_id(case_id), to_message)], clock.now))

    return SlaService(store, sla, runtime, http, tick)
