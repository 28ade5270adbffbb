"""Events stored in an older shape read back in today's, through the event store's upcasting
(`class_version` and `upcast_v1_v2` on the event class), never through getattr defaults in the readers."""
from __future__ import annotations

import json

import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

from services.intake.domain import Request
from services.routing.domain import Case
from tests.histories.fixture_files import RECORDED, as_uuid, recorded_events

VERSIONED = {"intake": ("services.intake.domain:Request.Submitted", ("tracking_code",)),
             "routing": ("services.routing.domain:Case.Opened", ("form", "tracking_code"))}


def stored(service: str, history: str) -> list[dict]:
    topic = VERSIONED[service][0]
    return [r for r in recorded_events(RECORDED / history, service) if r["topic"] == topic]


@pytest.mark.parametrize("service", VERSIONED)
def test_the_kept_history_holds_v1_events_and_the_full_run_v2(service):
    old, new = stored(service, "v1-shapes"), stored(service, "full-run")
    assert old and all("class_version" not in json.loads(r["state"]) for r in old)
    assert new and all(json.loads(r["state"])["class_version"] == 2 for r in new)


@pytest.mark.parametrize("service", VERSIONED)
def test_a_v1_event_without_the_later_fields_reads_back_with_none(service):
    """The shape from before tracking codes (and, for a case, the submitted form) existed."""
    topic, added = VERSIONED[service]
    row = stored(service, "v1-shapes")[0]
    state = json.loads(row["state"])
    for name in added:
        del state[name]
    event = Application().mapper.to_domain_event(StoredEvent(
        originator_id=as_uuid(row["originator_id"]), originator_version=row["version"], topic=topic,
        state=json.dumps(state).encode()))
    assert isinstance(event, (Request.Submitted, Case.Opened))
    assert all(getattr(event, name) is None for name in added)
    assert event.register_number == state["register_number"]  # the rest as stored


def test_a_v2_event_keeps_its_tracking_code():
    row = stored("intake", "full-run")[0]
    event = Application().mapper.to_domain_event(StoredEvent(
        originator_id=as_uuid(row["originator_id"]), originator_version=row["version"], topic=row["topic"],
        state=row["state"].encode()))
    assert event.tracking_code == json.loads(row["state"])["tracking_code"] and event.tracking_code
