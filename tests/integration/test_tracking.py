"""A message sent back from the dead letters after a later one is still applied; a repeat is not."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from services.routing.application import Routing
from shared.contracts import EventMessage
from shared.eventstore import store_env
from shared.events import RequestSubmitted
from shared.roles import ActingAs
from shared.sop.loader import SopLibrary

pytestmark = pytest.mark.integration
AT = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)


def submitted(position: int) -> EventMessage:
    return RequestSubmitted(
        event_id=f"e{position}", source="intake", position=position,
        case_id=str(uuid.uuid4()), sop_id="sop-b", sop_version=1, step=1,
        actor=ActingAs(id="portal", name="Portal", role="pemohon"), occurred_at=AT, recorded_at=AT,
        data={"register_number": f"{position:04d}/REG", "subject": "x", "applicant": {"name": "A"}, "form": {}},
    )


def test_a_late_lower_position_is_applied_and_a_repeat_is_not(store_settings):
    routing = Routing(SopLibrary.from_directory(), env=store_env(store_settings, "routing"))
    later, earlier = submitted(5), submitted(3)
    assert routing.handle_message(later) is True
    assert routing.handle_message(earlier) is True  # retried after a later one: still applied
    assert routing.handle_message(earlier) is False and routing.handle_message(later) is False
    assert routing.get_case(earlier.case_id).current_step == 2
    assert routing.get_case(later.case_id).current_step == 2
