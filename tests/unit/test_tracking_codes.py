"""Every submission gets a tracking code, recorded in its event: read back, published and retried the same."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from uuid import uuid4

import pytest

from services.intake.application import Intake
from services.intake.messages import to_message
from services.intake.views.store import ViewStore
from shared.clock import FixedClock
from shared.roles import Actor
from shared.sop.loader import SopLibrary
from tests.places import new_place

pytestmark = pytest.mark.usefixtures("each_database")

PORTAL = Actor(id="portal", name="Portal", roles=("pemohon",))
FORM = {"subject": "Konsultasi Renja", "applicant": {"name": "Budi", "institution": "Dinas PU", "phone": "0812345678"}}


def test_a_tracking_code_is_recorded_with_the_submission_and_read_back_the_same():
    intake = Intake(SopLibrary.from_directory(), FixedClock(datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)),
                    {"PERSISTENCE_MODULE": "eventsourcing.popo"})
    key = uuid4()
    request = intake.submit("sop-b", FORM, PORTAL, request_id=key)
    assert re.fullmatch(r"[A-HJ-KM-NP-Z2-9]{4}-[A-HJ-KM-NP-Z2-9]{4}", request.tracking_code)
    assert intake.submit("sop-b", FORM, PORTAL, request_id=key).tracking_code == request.tracking_code, "a retry"
    assert intake.repository.get(request.id).tracking_code == request.tracking_code, "rebuilt from its events"
    other = intake.submit("sop-b", FORM, PORTAL)
    assert other.tracking_code != request.tracking_code
    notification = intake.recorder.select_notifications(0, 10)
    messages = [m for n in notification if (m := to_message(intake.mapper.to_domain_event(n), n.id))]
    assert [m.data.tracking_code for m in messages] == [request.tracking_code, other.tracking_code]
    views = ViewStore(new_place())
    views.apply_batch(messages)
    assert views.tracked(request.register_number)["code"] == request.tracking_code
