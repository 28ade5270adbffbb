"""A decision that carries files takes only the types its SOP names: the signed reply is a PDF."""
from __future__ import annotations

from datetime import datetime, timezone
from uuid import uuid4

import pytest

from services.routing.domain import Case
from shared.roles import Actor
from shared.sop.loader import SopLibrary
from shared.sop.machine import Refused
from tests.content import SIGNED_PDF

SOP = SopLibrary.from_directory().latest("sop-c")
AT = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
HEAD = Actor(id="kaban", name="Harto", roles=("kepala_badan",))
CSV = {"sha256": "ef" * 32, "name": "data.csv", "media_type": "text/csv", "size": 10}


def case_at_signing() -> Case:
    case = Case(request_id=uuid4(), sop_id=SOP.id, sop_version=SOP.version, register_number="0001/REG",
                subject="Data", applicant={"name": "Budi"}, start_step=10, opened_at=AT, form=None,
                tracking_code=None)
    case.collect_events()
    return case


def sign(case: Case, attachments: list[dict]) -> None:
    case.complete_step(SOP, step=10, decision="signed", actor=HEAD, occurred_at=AT, recorded_at=AT,
                       command_id=str(uuid4()), attachments=attachments)


def test_the_signed_reply_must_be_a_pdf_and_a_refusal_records_nothing():
    case = case_at_signing()
    for attachments, code in (([], "missing_attachments"), ([CSV], "wrong_attachment_type"),
                              ([SIGNED_PDF, CSV], "wrong_attachment_type")):
        with pytest.raises(Refused) as refused:
            sign(case, attachments)
        assert refused.value.code == code and case.collect_events() == []
    sign(case, [SIGNED_PDF])
    [completed] = case.collect_events()
    assert completed.attachments == [SIGNED_PDF] and case.current_step == 11
