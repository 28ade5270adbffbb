"""A recorded history through today's code, in this process: its events into fresh stores, then every read
model built from them as the services' followers build them, every document revision rendered again, and
the capaian kinerja report of the recorded period: the figures `expected.json` holds.

No Redis: each service's stored events become the messages its relay would publish (its own `to_message`,
the notification id as the position) and go to the folds in batches, a source at a time, as `sop replay`
feeds them from the streams.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from eventsourcing.application import Application

from services.intake.views.store import ViewStore
from services.sla.domain import CalendarHistory, calendar_from
from services.sla.projection import SlaStore
from services.sla.report import ZONE, capaian_kinerja
from services.sla.report_form import render_form
from shared.chain.stores import SERVICES
from shared.contracts import EventMessage
from shared.http.sla_api import Kop, Signatory
from shared.letterhead import LetterheadSettings
from shared.settings import Settings
from shared.sop.loader import SopLibrary
from shared.sql.place import Place, store_place
from system.stored_messages import published as stored_pages
from tests.histories.fixture_files import chain_heads, load_events
from tests.histories.rerender import rerendered

BATCH = 200  # a follower's read


def replay(folder: Path, settings: Settings, work: Path, render: bool = True) -> dict[str, Any]:
    """Loads the history in `folder` into the fresh stores of `settings`; answers what expected.json holds.
    `render=False`: each revision's fields are built again and their digest checked ("reproducible"), but
    no PDF is rendered."""
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    library = SopLibrary.from_directory()
    apps = load_events(folder, settings, library)
    try:
        messages = {service: list(published(service, apps[service], library)) for service in SERVICES}
        views = ViewStore(place(settings, work, "views"))
        sla = SlaStore(place(settings, work, "sla"), library, calendar_from(last_calendar(apps["sla"])))
        failed = [f"{m.source} {m.position}: {error}" for service in SERVICES
                  for store in ([views, sla] if service in ("routing", "sla") else [views])
                  for m, error in apply_all(store, messages[service])]
        report, form = capaian(sla, library, expected["capaian_kinerja"])
        period = expected["capaian_kinerja"]["period"]
        # v1-shapes was recorded before the book was part of the expectations
        book = (register_book(messages, expected["register_book"], place(settings, work, "register-rows"))
                if "register_book" in expected else None)
        return {"chain": chain_heads(settings), "failed_folds": failed, "register_and_audit": rows(views.snapshot()),
                "sla": rows(sla.snapshot()), "documents": rerendered(apps["documents"], render),
                "register_book": book,
                "capaian_kinerja": {"period": period, "monitoring_date": expected["capaian_kinerja"]["monitoring_date"],
                                    "report": report, "pdf_sha256": hashlib.sha256(form).hexdigest()}}
    finally:
        for app in apps.values():
            app.close()


def place(settings: Settings, work: Path, name: str) -> Place:
    """A read model of the replay: a file in `work`, or on PostgreSQL a schema of the settings' prefix."""
    return store_place(settings, f"replayed-{name}") if settings.persistence == "postgres" else work / f"{name}.db"


def published(service: str, app: Application[Any], library: SopLibrary) -> Iterator[EventMessage]:
    """The service's stored events as its relay publishes them (as `sop replay` reads them)."""
    for chunk in stored_pages(service, app, library):
        yield from chunk


def apply_all(store: Any, messages: list[EventMessage]) -> Iterator[tuple[EventMessage, str]]:
    for start in range(0, len(messages), BATCH):
        chunk = messages[start:start + BATCH]
        for n, error in store.apply_batch(chunk).items():
            yield chunk[n], error


def last_calendar(sla: Application[Any]) -> dict[str, Any]:
    """The content of the last CalendarChanged: the calendar the live figures were derived with at the end."""
    contents = [e.content for e in (sla.mapper.to_domain_event(n) for n in
                                    sla.recorder.select_notifications(start=1, limit=1_000_000))
                if isinstance(e, CalendarHistory.CalendarChanged)]
    if not contents:
        raise AssertionError("the history holds no CalendarChanged: the SLA service records one when it starts")
    return contents[-1]


def rows(snapshot: dict[str, list[tuple]]) -> dict[str, list[list[Any]]]:
    return {table: [list(r) for r in found] for table, found in snapshot.items()}


def register_book(messages: dict[str, list[EventMessage]], recorded: dict[str, Any], where: Place) -> dict[str, Any]:
    """The buku register of the recorded period from documents' own register rows, as GET /register/book
    prints it, under the letterhead in force when it was recorded (a setting, not a fact of the log)."""
    from services.documents.register_rows import RegisterRows
    from services.documents.rendering import register_csv, render_register

    book = RegisterRows(where)
    for service in ("intake", "routing"):  # what documents' register follows
        list(apply_all(book, messages[service]))
    start, end = (date.fromisoformat(recorded["period"][k]) for k in ("from", "to"))
    rows = book.period(start, end)
    pdf = render_register(rows, start, end, LetterheadSettings(**recorded["letterhead"]))
    return recorded | {"sha256": {"pdf": hashlib.sha256(pdf).hexdigest(),
                                  "csv": hashlib.sha256(register_csv(rows).encode("utf-8")).hexdigest()}}


def capaian(sla: SlaStore, library: SopLibrary, recorded: dict[str, Any]) -> tuple[dict, bytes]:
    """As GET /reports/capaian-kinerja answers it (the route's own steps), for the recorded period and
    monitoring date, under the recorded kop and penilai: those are today's settings when a report is
    asked for, not facts of the log, so a new address or a new penilai is no change to the past."""
    start, end = (date.fromisoformat(recorded["period"][k]) for k in ("from", "to"))
    until = datetime.combine(end + timedelta(days=1), time(), ZONE)
    report = capaian_kinerja(sla.visits(started_until=until), library, start, end,
                             monitoring_date=date.fromisoformat(recorded["monitoring_date"]),
                             kop=Kop(**recorded["report"]["kop"]), penilai=Signatory(**recorded["report"]["penilai"]))
    return report.model_dump(mode="json"), render_form(report)
