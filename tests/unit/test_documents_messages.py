"""What documents publishes (one OutputRecorded per record) and serves over HTTP."""
from __future__ import annotations

import uuid
from datetime import timedelta

import httpx

from services.documents.bootstrap import bootstrap
from services.documents.domain import CaseFile
from services.documents.messages import to_message
from shared.clock import FixedClock
from shared.contracts import EventMessage, stable_event_id
from shared.roles import ActingAs
from tests.unit.test_documents import MEMORY, T0, RoutingLog, documents


def test_published_messages_are_one_output_recorded_per_record():
    app, log = documents(), RoutingLog("sop-a")
    for message in log.open() + [log.complete(2, "registered")]:
        app.handle_message(message)
    notifications = app.recorder.select_notifications(start=0, limit=100)
    published = [to_message(app.mapper.to_domain_event(n), n.id) for n in notifications]
    assert published[0] is None  # the file's opening stays inside documents
    messages = [m for m in published if m is not None]
    assert [(m.type, m.source, m.step, m.data["output"]) for m in messages] == [
        ("OutputRecorded", "documents", 1, "buku_tamu"), ("OutputRecorded", "documents", 2, "buku_register"),
        ("OutputRecorded", "documents", 2, "lembar_koordinasi"),
    ]
    registered = messages[1]
    assert registered.case_id == log.case_id and (registered.sop_id, registered.sop_version) == ("sop-a", 1)
    assert registered.actor == ActingAs(id="u-petugas_tu", name="User petugas_tu", role="petugas_tu")
    assert registered.decision == "registered" and registered.position == notifications[2].id
    assert registered.occurred_at == T0 + timedelta(minutes=40) and registered.recorded_at == T0 + timedelta(days=1)
    case_file_id = CaseFile.create_id(log.case_id)  # versions 2-4: version 1 opened the file
    assert [m.event_id for m in messages] == [stable_event_id(case_file_id, v) for v in (2, 3, 4)]
    assert EventMessage.from_wire(registered.to_wire()) == registered


async def test_http_lists_a_cases_outputs():
    service = bootstrap(MEMORY, FixedClock(T0))
    log = RoutingLog("sop-a")
    for message in log.open():
        service.app.handle_message(message)
    transport = httpx.ASGITransport(app=service.http)  # no lifespan: nothing touches Redis
    async with httpx.AsyncClient(transport=transport, base_url="http://documents") as client:
        found = (await client.get(f"/cases/{log.case_id}/outputs")).json()
        unknown = (await client.get(f"/cases/{uuid.uuid4()}/outputs")).json()
    assert [(r["step"], r["output"], r["actor"]["role"]) for r in found] == [(1, "buku_tamu", "pemohon")]
    assert unknown == []
