"""Event ids: unique across the services' streams, and the same each time a stored event is published.

Routing's Case takes the id of intake's Request and both start at version 1, so an id keyed on the
aggregate alone gave a case's RequestSubmitted and CaseOpened the same event_id, and a consumer that
deduplicates on event_id (as docs/asyncapi.yaml allows) dropped the CaseOpened.
"""
from __future__ import annotations

from datetime import datetime, timezone
from uuid import NAMESPACE_URL, uuid4, uuid5

from services.intake.domain import Request
from services.intake.messages import to_message as intake_message
from services.routing.application import Routing
from services.routing.messages import message_mapper
from shared.clock import FixedClock
from shared.contracts import SERVICES, stable_event_id
from shared.eventstore import store_env
from shared.settings import Settings
from shared.sop.loader import SopLibrary

LIBRARY = SopLibrary.from_directory()
AT = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)
FORM = {"subject": "Konsultasi Renja", "applicant": {"name": "Budi", "institution": "Dinas PU"}}


def submitted(request_id=None):
    request = Request(request_id=request_id or uuid4(), sop_id="sop-b", sop_version=1, start_step=1,
                      register_number="0001/REG/BAPPEDA/2026", form=FORM,
                      submitted_by={"id": "portal", "name": "Portal Layanan", "role": "pemohon"},
                      occurred_at=AT, recorded_at=AT, tracking_code="ABCD-EFGH")
    (event,) = request.collect_events()
    return intake_message(event, position=1)


def routing_messages(app: Routing):
    to_message = message_mapper(LIBRARY)
    return [to_message(app.mapper.to_domain_event(n), n.id)
            for n in app.recorder.select_notifications(start=1, limit=100)]


def test_request_submitted_and_case_opened_of_one_case_have_different_event_ids():
    request = submitted()
    routing = Routing(LIBRARY, FixedClock(AT), env=store_env(Settings(persistence="memory"), "routing"))
    assert routing.handle_message(request)
    opened, step_one = routing_messages(routing)
    assert (request.type, opened.type, step_one.type) == ("RequestSubmitted", "CaseOpened", "StepCompleted")
    assert request.case_id == opened.case_id  # the same aggregate id on both sides …
    assert len({request.event_id, opened.event_id, step_one.event_id}) == 3  # … and yet three ids
    # Step 1's command id is the submission's event id: the same RequestSubmitted opens the same step.
    assert step_one.data.command_id == request.event_id


def test_the_same_stored_event_always_gets_the_same_id():
    request_id = uuid4()
    assert submitted(request_id).event_id == submitted(request_id).event_id
    assert stable_event_id("intake", request_id, 1) == stable_event_id("intake", str(request_id), 1)


def test_each_service_gives_its_own_ids_for_one_aggregate_id_and_version():
    aggregate = uuid4()
    ids = {stable_event_id(source, aggregate, version) for source in SERVICES for version in (1, 2)}
    assert len(ids) == len(SERVICES) * 2


def test_an_event_id_is_the_uuid5_of_its_name():
    """Spelled out for speed, it must stay the uuid5 every id on record was made as."""
    for version in range(1, 200):
        aggregate = uuid4()
        name = f"sop-event:routing:{aggregate}/{version}"
        assert stable_event_id("routing", aggregate, version) == str(uuid5(NAMESPACE_URL, name))
