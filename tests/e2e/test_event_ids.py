"""No two published events share an event_id, whichever services published them.

docs/asyncapi.yaml lets a consumer deduplicate on event_id, so one id on two different events
(a case's RequestSubmitted and CaseOpened once had one) makes such a consumer drop a fact.
"""
from __future__ import annotations

import time
from collections import Counter

import pytest
import redis

from shared.events import EVENT, from_wire
from shared.contracts import SERVICES, EventMessage, event_stream
from system.demo import auth, left_open_too_long, run_scenario, scenarios
from system.demo_documents import expected_kinds, settled_documents
from shared.sop.loader import SopLibrary

pytestmark = pytest.mark.integration

# Everything the four services publish along the demo: intake, routing, documents and sla.
EXPECTED_TYPES = {"RequestSubmitted", "CaseOpened", "StepCompleted", "CaseClosed", "CasePaused", "CaseResumed",
                  "DocumentIssued", "DocumentRendered", "LetterNumbered", "StepAtRisk", "StepBreached",
                  "EscalationRaised"}


def published(system) -> list[EventMessage]:
    """Every entry of every service's event stream of this private system."""
    client = redis.Redis.from_url(system.env["SOP_REDIS_URL"])
    try:
        prefix = system.env["SOP_STREAM_PREFIX"]
        return [from_wire(fields) for service in SERVICES
                for _, fields in client.xrange(event_stream(prefix, service))]
    finally:
        client.close()


def published_once_all_types_are_out(system, timeout_s: float = 30) -> list[EventMessage]:
    """The relays publish shortly after the API answers: wait until every expected type is on a stream."""
    deadline = time.monotonic() + timeout_s
    while True:
        messages = published(system)
        missing = EXPECTED_TYPES - {m.type for m in messages}
        if not missing:
            return messages
        if time.monotonic() > deadline:
            raise AssertionError(f"never published: {sorted(missing)}")
        time.sleep(0.2)


def test_every_published_event_of_every_service_has_its_own_event_id(api, system):
    library, case_ids = SopLibrary.from_directory(), []
    for n, scenario in enumerate(scenarios(), start=300):
        case_id = run_scenario(api, scenario, n)
        signed = any(step == 10 for step, _, _ in scenario.moves)
        listed = settled_documents(api, case_id, expected_kinds(library, scenario), signed)
        for document in listed:  # each first download renders it: documents publishes DocumentRendered
            api.get(document["download"], headers=auth("petugas_tu")).raise_for_status()
        case_ids.append(case_id)
    breached = left_open_too_long(api)["case_id"]  # sla publishes StepAtRisk, StepBreached, EscalationRaised
    hold = {"reason": "Menunggu kelengkapan dari pemohon"}
    assert api.post(f"/cases/{breached}/pause", json=hold, headers=auth("petugas_tu")).status_code == 200
    assert api.post(f"/cases/{breached}/resume", json=hold, headers=auth("petugas_tu")).status_code == 200
    case_ids.append(breached)

    messages = published_once_all_types_are_out(system)
    assert all(m.event_id for m in messages)
    repeated = {event_id: n for event_id, n in Counter(m.event_id for m in messages).items() if n > 1}
    assert not repeated, [(m.source, m.type, m.case_id) for m in messages if m.event_id in repeated]
    # The pair that used to collide is there for every case: intake's submission and routing's opening.
    for case_id in case_ids:
        firsts = {m.type: m.source for m in messages if m.case_id == case_id and m.type in ("RequestSubmitted",
                                                                                           "CaseOpened")}
        assert firsts == {"RequestSubmitted": "intake", "CaseOpened": "routing"}, case_id


def test_every_message_on_the_streams_is_its_types_model(api, system):
    """After the demo's cases: each entry validates, strictly, as the model of its type (shared/events.py)."""
    messages = published_once_all_types_are_out(system)
    client = redis.Redis.from_url(system.env["SOP_REDIS_URL"])
    prefix = system.env["SOP_STREAM_PREFIX"]
    raw = [fields[b"payload"] for service in SERVICES for _, fields in client.xrange(event_stream(prefix, service))]
    client.close()
    assert len(raw) >= len(messages) and EXPECTED_TYPES <= {type(m).__name__ for m in messages}
    for payload in raw:
        EVENT.validate_json(payload)  # no fallback to the plain envelope: an unknown type fails here
