"""The register and the audit trail, folded from published messages in an in-memory ViewStore.

Each message applies once; routing's messages may come before intake's, and a later
routing message may come before an earlier one: the end state is the same.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import pytest

from services.intake.views.store import ViewStore
from shared.contracts import EventMessage, stable_event_id
from shared.events import BY_TYPE
from shared.projections.folds import register_changes, status_of
from shared.roles import ActingAs
from tests.places import new_place

pytestmark = pytest.mark.usefixtures("each_database")

SUBMITTED_AT = datetime(2026, 3, 1, 20, 0, tzinfo=timezone.utc)  # 2 March, 03:00 in Ketapang (UTC+7)
CLOSED_AT = datetime(2026, 3, 5, 17, 30, tzinfo=timezone.utc)    # 6 March, 00:30 in Ketapang
APPLICANT = {"name": "Budi Santoso", "institution": "Dinas PU", "email": "budi@example.go.id"}
# SOP B, from step 1 to the end: (step, decision, role, next_step, next_role, note)
SOP_B_STEPS = [
    (1, "submitted", "pemohon", 2, "petugas_tu", None),
    (2, "registered", "petugas_tu", 4, "kabid", None),
    (4, "with_kabid", "kabid", 5, "sub_koordinator", None),
    (5, "answered", "sub_koordinator", 6, "petugas_tu", "Dijawab dalam rapat koordinasi"),
    (6, "recorded", "petugas_tu", 7, "pemohon", None),
    (7, "received", "pemohon", None, None, None),
]


def message(case_id: str, source: str, position: int, type: str, occurred_at: datetime, version: int,
            **fields: Any) -> EventMessage:
    if source == "routing":
        fields["data"] = fields.get("data", {}) | {"case_version": version}
    return BY_TYPE[type](
        event_id=stable_event_id(source, case_id, version), source=source, position=position,
        case_id=case_id, sop_id="sop-b", sop_version=1, occurred_at=occurred_at,
        recorded_at=occurred_at + timedelta(seconds=2), **fields,
    )


def retyped(m: EventMessage, type_: str, **update: Any) -> EventMessage:
    """Another kind of event on the same case, built as its producer would."""
    return BY_TYPE[type_](**m.model_dump(exclude={"type", "data"}) | update)


def request_submitted(case_id: str, position: int, number: str = "0001/REG/BAPPEDA/2026") -> EventMessage:
    return message(
        case_id, "intake", position, "RequestSubmitted", SUBMITTED_AT, 1, step=1,
        actor=ActingAs(id="portal", name="Portal Layanan", role="pemohon"),
        data={"register_number": number, "subject": "Koordinasi RKPD", "applicant": APPLICANT,
              "form": {"subject": "Koordinasi RKPD", "applicant": APPLICANT}},
    )


def routing_messages(case_id: str, first_position: int, stride: int = 1) -> list[EventMessage]:
    """What routing publishes for one SOP B case walked to `completed`, in its log's order."""
    positions = iter(range(first_position, first_position + 100 * stride, stride))
    found = [message(case_id, "routing", next(positions), "CaseOpened", SUBMITTED_AT, 1,
                     data={"register_number": "0001/REG/BAPPEDA/2026", "subject": "Koordinasi RKPD",
                           "applicant": APPLICANT, "current_step": 1, "current_role": "pemohon", "form": None})]
    at = SUBMITTED_AT
    for version, (step, decision, role, next_step, next_role, note) in enumerate(SOP_B_STEPS, start=2):
        found.append(message(
            case_id, "routing", next(positions), "StepCompleted", at, version, step=step,
            actor=ActingAs(id=f"u-{role}", name=f"Pegawai {role}", role=role), decision=decision, note=note,
            data={"next_step": next_step, "next_role": next_role, "withheld_parts": [], "command_id": f"c{step}",
                  "draft": None, "attachments": []},
        ))
        at = CLOSED_AT if next_step is None or next_step == 7 else at + timedelta(hours=5)
    found.append(message(case_id, "routing", next(positions), "CaseClosed", CLOSED_AT, len(found) + 1,
                         data={"outcome": "completed"}))
    return found


def a_case(intake_position: int = 7, routing_position: int = 11) -> tuple[str, list[EventMessage]]:
    case_id = str(uuid4())
    return case_id, [request_submitted(case_id, intake_position), *routing_messages(case_id, routing_position)]


def applied(messages: list[EventMessage]) -> ViewStore:
    views = ViewStore(new_place())
    for m in messages:
        assert views.apply(m) is True
    return views


# --- the register row ----------------------------------------------------------------------


def test_a_closed_case_has_its_full_register_row():
    case_id, messages = a_case()
    views = applied(messages)
    row = views.case(case_id)
    assert row == {
        "case_id": case_id, "register_number": "0001/REG/BAPPEDA/2026", "registered_on": "2026-03-02",
        "applicant": "Budi Santoso", "institution": "Dinas PU", "sop_id": "sop-b", "sop_version": 1,
        "subject": "Koordinasi RKPD", "current_step": None, "current_role": None, "last_step": 7,
        "last_decision": "received", "outcome": "completed", "closed_on": "2026-03-06",
        "routing_position": messages[-2].position, "paused_since": None, "pause_position": 0,
        "deadline_extended": 0, "status": "closed", "submitted_by": "portal", "case_version": 8, "last_note": None,
    }
    assert views.register() == [row]
    assert views.register(status="closed") == [row] and views.register(status="open") == []
    assert views.register(sop_id="sop-b") == [row] and views.register(sop_id="sop-a") == []
    assert views.inbox(["petugas_tu", "pemohon"]) == []


def test_an_open_case_stands_at_its_next_step_in_that_roles_inbox():
    case_id, messages = a_case()
    views = applied(messages[:5])  # submitted, opened, steps 1, 2 and 4
    row = views.case(case_id)
    assert row["status"] == "open" and row["outcome"] is None and row["closed_on"] is None
    assert (row["current_step"], row["current_role"]) == (5, "sub_koordinator")
    assert (row["last_step"], row["last_decision"]) == (4, "with_kabid")
    assert row["registered_on"] == "2026-03-02" and row["register_number"] == "0001/REG/BAPPEDA/2026"
    assert [r["case_id"] for r in views.inbox(["sub_koordinator"])] == [case_id]
    assert views.inbox(["kabid"]) == []


def test_a_request_routing_has_not_opened_yet_is_submitted():
    case_id, messages = a_case()
    views = applied(messages[:1])
    row = views.case(case_id)
    assert row["status"] == "submitted" and row["current_step"] is None and row["routing_position"] == 0
    assert views.register(status="submitted") == [row]


def test_routing_messages_without_intakes_are_not_yet_in_the_register():
    case_id, messages = a_case()
    views = applied(messages[1:4])
    assert views.case(case_id)["current_step"] == 4
    assert views.register() == []  # no register number yet: not a line in the book
    views.apply(messages[0])
    assert [r["register_number"] for r in views.register()] == ["0001/REG/BAPPEDA/2026"]


def test_the_register_date_is_the_agencys_date_not_utcs():
    case_id = str(uuid4())
    late_evening_utc = message(case_id, "intake", 1, "RequestSubmitted", datetime(2026, 12, 31, 17, 0, tzinfo=timezone.utc),
                               1, data={"register_number": "0001/REG/BAPPEDA/2027", "subject": "x",
                                        "applicant": {"name": "Sari"}, "form": {}})
    assert register_changes(late_evening_utc)["registered_on"] == "2027-01-01"
    assert register_changes(late_evening_utc)["institution"] is None


def test_only_routing_moves_a_case():
    case_id = str(uuid4())
    forged = message(case_id, "documents", 3, "CaseClosed", CLOSED_AT, 1,
                     data={"outcome": "completed", "case_version": 1})
    assert register_changes(forged) is None
    assert status_of({"outcome": None, "current_step": None}) == "submitted"


# --- the audit trail -----------------------------------------------------------------------


def test_the_audit_trail_has_every_event_with_who_what_and_when():
    case_id, messages = a_case()
    views = applied(messages)
    trail = views.audit(case_id)
    assert [(r["source"], r["type"]) for r in trail] == (
        [("intake", "RequestSubmitted"), ("routing", "CaseOpened")]
        + [("routing", "StepCompleted")] * len(SOP_B_STEPS) + [("routing", "CaseClosed")])
    steps = [r for r in trail if r["type"] == "StepCompleted"]
    assert [(r["step"], r["decision"], r["role"], r["actor_id"]) for r in steps] == [
        (s, d, role, f"u-{role}") for s, d, role, *_ in SOP_B_STEPS]
    assert steps[3]["note"] == "Dijawab dalam rapat koordinasi" and steps[3]["actor_name"] == "Pegawai sub_koordinator"
    assert trail[0]["actor_id"] == "portal" and trail[1]["actor_id"] is None
    assert all(r["case_id"] == case_id and r["sop_id"] == "sop-b" and r["sop_version"] == 1 for r in trail)
    assert trail[-1]["occurred_at"] == CLOSED_AT.isoformat()
    assert trail[-1]["recorded_at"] == (CLOSED_AT + timedelta(seconds=2)).isoformat()
    assert {r["event_id"] for r in trail} == {m.event_id for m in messages}


# --- exactly once, in any order ------------------------------------------------------------


def test_applying_the_same_message_twice_changes_nothing():
    case_id, messages = a_case()
    views = applied(messages)
    before = views.snapshot()
    for m in messages:
        assert views.apply(m) is False
        redelivered = EventMessage.model_validate_json(m.model_dump_json(by_alias=True))
        assert views.apply(redelivered) is False
    assert views.snapshot() == before


def test_a_redelivered_older_message_does_not_roll_a_case_back():
    case_id, messages = a_case()
    views = applied(messages[:5])
    before = views.snapshot()
    assert views.apply(messages[3]) is False
    assert views.snapshot() == before and views.case(case_id)["current_step"] == 5


def test_the_closing_arriving_before_the_last_step_keeps_the_last_step():
    """CaseClosed is newer than the final StepCompleted but does not carry its step and decision."""
    case_id, messages = a_case()
    views = applied([*messages[:-2], messages[-1], messages[-2]])
    row = views.case(case_id)
    assert (row["last_step"], row["last_decision"], row["outcome"]) == (7, "received", "completed")
    assert row["current_step"] is None and row["routing_position"] == messages[-2].position


def test_an_earlier_step_arriving_late_does_not_overwrite_the_last_step():
    case_id, messages = a_case()
    views = applied([*messages[:3], messages[4], messages[3]])  # step 4 before step 2
    row = views.case(case_id)
    assert (row["last_step"], row["last_decision"], row["current_step"]) == (4, "with_kabid", 5)


@pytest.mark.parametrize("order", [
    pytest.param(lambda ms: ms[1:] + ms[:1], id="routing-before-intake"),
    pytest.param(lambda ms: ms[:1] + ms[:0:-1], id="routing-reversed"),
    pytest.param(lambda ms: ms[:0:-1] + ms[:1], id="all-reversed"),
    pytest.param(lambda ms: [ms[0], ms[1], ms[2], ms[4], ms[3], *ms[5:]], id="later-step-first"),
    pytest.param(lambda ms: [ms[-1], *ms[:-1]], id="closed-first"),
    pytest.param(lambda ms: [*ms[1:4], ms[0], *ms[4:]], id="intake-in-the-middle"),
])
def test_out_of_order_application_ends_in_the_same_state(order):
    case_id, messages = a_case()
    in_order = applied(messages).snapshot()
    shuffled = order(list(messages))
    assert sorted(m.event_id for m in shuffled) == sorted(m.event_id for m in messages)
    assert applied(shuffled).snapshot() == in_order


@pytest.mark.parametrize("seed", range(20))
def test_any_interleaving_of_several_cases_ends_in_the_same_state(seed: int):
    """Three cases, their routing messages interleaved in one log, delivered in a random order."""
    cases = []
    for i in range(3):
        case_id = str(uuid4())
        cases.append((request_submitted(case_id, 1 + i, f"{i + 1:04d}/REG/BAPPEDA/2026"),
                      routing_messages(case_id, 1 + i, stride=3)))
    messages = [submitted for submitted, _ in cases] + sorted(
        (m for _, ms in cases for m in ms), key=lambda m: m.position)
    in_order = applied(messages).snapshot()
    shuffled = list(messages)
    random.Random(seed).shuffle(shuffled)
    views = applied(shuffled)
    assert views.snapshot() == in_order
    batched = ViewStore(new_place())  # one batch, as a follower's read or a rebuild's page: the same rules
    assert batched.apply_batch(shuffled) == {} and batched.snapshot() == in_order
    assert [r["status"] for r in views.register()] == ["closed"] * 3
    assert [r["register_number"] for r in views.register()] == [f"{i:04d}/REG/BAPPEDA/2026" for i in (1, 2, 3)]


def test_an_unfinished_case_folds_the_same_in_any_order():
    case_id, messages = a_case()
    partial = messages[:6]  # up to step 5: open at step 6
    in_order = applied(partial).snapshot()
    for seed in range(10):
        shuffled = list(partial)
        random.Random(seed).shuffle(shuffled)
        views = applied(shuffled)
        assert views.snapshot() == in_order
        assert views.case(case_id)["status"] == "open" and views.case(case_id)["current_step"] == 6


def test_a_paused_case_shows_as_paused_until_resumed_whatever_the_order():
    case_id, messages = a_case()
    open_part = messages[:3]  # submitted, opened, step 1 completed
    last = open_part[-1]
    paused = retyped(last, "CasePaused", position=last.position + 1, step=None,
                     data={"reason": "menunggu data pemohon", "case_version": 3})
    resumed = retyped(last, "CaseResumed", position=last.position + 2, step=None,
                      data={"note": "data diterima", "case_version": 4})
    assert applied([*open_part, paused]).case(case_id)["status"] == "paused"
    in_order = applied([*open_part, paused, resumed])
    assert in_order.case(case_id)["status"] == "open"
    assert applied([*open_part, resumed, paused]).snapshot() == in_order.snapshot()


def test_an_escalation_is_in_the_inbox_of_the_role_above_while_the_case_is_open():
    case_id, messages = a_case()
    open_part = messages[:3]
    escalation = retyped(open_part[-1], "EscalationRaised", source="sla", position=1, step=2, data={
        "visit": 2, "from_role": "petugas_tu", "to_role": "sekretaris", "reason": "step 2 passed its standard"})
    views = applied([*open_part, escalation])
    assert [(e["case_id"], e["step"], e["to_role"]) for e in views.escalations(["sekretaris"])] == [(case_id, 2, "sekretaris")]
    assert views.escalations(["kabid"]) == []
    closed = applied([*messages, escalation])
    assert closed.escalations(["sekretaris"]) == []
