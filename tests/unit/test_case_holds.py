"""Pausing, resuming and extending a case: who may, when, and that a refusal records nothing."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import uuid4

import pytest

from services.routing.domain import Case
from shared.roles import Actor
from shared.sop.loader import SopLibrary
from shared.sop.machine import Refused

LIBRARY = SopLibrary.from_directory()
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
CLERK = Actor(id="tu", name="Siti", roles=("petugas_tu",))
HEAD = Actor(id="kaban", name="Harto", roles=("kepala_badan",))


def opened(sop_id: str) -> Case:
    sop = LIBRARY.latest(sop_id)
    case = Case(request_id=uuid4(), sop_id=sop.id, sop_version=sop.version, register_number="0001/REG",
                subject="Data RKPD", applicant={"name": "Budi"}, start_step=sop.start, opened_at=T0,
                form=None, tracking_code=None)
    case.complete_step(sop, step=1, decision="submitted", actor=Actor(id="p", name="P", roles=("pemohon",)),
                       occurred_at=T0, recorded_at=T0, command_id="c1")
    case.collect_events()
    return case


def at(minutes: int) -> dict:
    return {"occurred_at": T0 + timedelta(minutes=minutes), "recorded_at": T0 + timedelta(minutes=minutes),
            "command_id": f"h{minutes}"}


def refused(code: str, call, *args, **kwargs) -> None:
    case = call.__self__
    version = case.version
    with pytest.raises(Refused) as raised:
        call(*args, **kwargs)
    assert raised.value.code == code and raised.value.reason
    assert case.collect_events() == [] and case.version == version


def test_pause_and_resume_by_the_clerk_with_a_reason():
    case, sop = opened("sop-c"), LIBRARY.latest("sop-c")
    case.pause(sop, reason="menunggu surat kuasa", actor=CLERK, **at(10))
    assert case.paused_since == T0 + timedelta(minutes=10)
    case.resume(sop, note="diterima", actor=CLERK, **at(70))
    assert case.paused_since is None
    assert [type(e).__name__ for e in case.collect_events()] == ["Paused", "Resumed"]


def test_hold_refusals_record_nothing():
    case, sop = opened("sop-c"), LIBRARY.latest("sop-c")
    refused("wrong_role", case.pause, sop, reason="x", actor=HEAD, **at(5))
    refused("missing_reason", case.pause, sop, reason=" ", actor=CLERK, **at(5))
    refused("not_paused", case.resume, sop, note=None, actor=CLERK, **at(5))
    refused("invalid_time", case.pause, sop, reason="x", actor=CLERK, **at(-5))
    case.pause(sop, reason="menunggu", actor=CLERK, **at(10))
    case.collect_events()
    refused("case_paused", case.pause, sop, reason="lagi", actor=CLERK, **at(20))
    refused("case_paused", case.complete_step, sop, step=2, decision="verified", actor=CLERK,
            note=None, **at(30))


def test_the_statutory_deadline_extends_once_and_only_where_there_is_one():
    case, sop = opened("sop-c"), LIBRARY.latest("sop-c")
    refused("wrong_role", case.extend_deadline, sop, reason="banyak data", actor=CLERK, **at(5))
    case.extend_deadline(sop, reason="banyak data", actor=HEAD, **at(10))
    [extended] = case.collect_events()
    assert (extended.extra_working_days, extended.basis) == (7, "UU 14/2008 pasal 22")
    refused("already_extended", case.extend_deadline, sop, reason="lagi", actor=HEAD, **at(20))
    other, sop_a = opened("sop-a"), LIBRARY.latest("sop-a")
    refused("no_statutory_clock", other.extend_deadline, sop_a, reason="x", actor=HEAD, **at(5))
