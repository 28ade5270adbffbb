"""The Case aggregate on its own: no store, no clock but explicit datetimes.

A case runs on the SOP version it started on; a refused command leaves it exactly
as it was (no pending event, same version); every fact it records says who did
what, when, under which SOP version.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import pytest

from services.routing.domain import Case
from shared.roles import Actor
from shared.sop.loader import SopLibrary
from shared.sop.machine import Refused
from shared.sop.schema import SopDefinition
from tests.content import required_content

LIBRARY = SopLibrary.from_directory()
SOP_IDS = ["sop-a", "sop-b", "sop-c"]
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
WITHHELD = [{"part": "nama pegawai", "ground": "UU 14/2008 pasal 17 huruf h"}]

# A full walk of each SOP from step 2 (step 1 is completed when the case opens):
# (step, decision, role, note, withheld_parts)
Move = tuple[int, str, str, "str | None", "list[dict[str, str]] | None"]
WALKS: dict[str, tuple[list[Move], str]] = {
    "sop-a": ([
        (2, "registered", "petugas_tu", None, None),
        (4, "to_sub_koordinator", "kabid", None, None),
        (5, "needs_admin", "sub_koordinator", None, None),
        (6, "facilitated", "admin_aplikasi", "SIPD login reset, input renja dibantu", None),
        (7, "recorded", "petugas_tu", None, None),
        (8, "received", "pemohon", None, None),
    ], "completed"),
    "sop-b": ([
        (2, "registered", "petugas_tu", None, None),
        (4, "with_kabid", "kabid", None, None),
        (5, "answered", "sub_koordinator", "Dijawab dalam rapat koordinasi", None),
        (6, "recorded", "petugas_tu", None, None),
        (7, "received", "pemohon", None, None),
    ], "completed"),
    "sop-c": ([
        (2, "verified", "petugas_tu", None, None),
        (3, "approved", "kepala_badan", None, None),
        (4, "dispositioned", "kabid", None, None),
        (5, "drafted", "sub_koordinator", None, None),
        (6, "data_prepared", "staf_data", None, None),
        (7, "verified_with_withheld_parts", "sub_koordinator", None, WITHHELD),
        (8, "initialled", "kabid", None, None),
        (9, "initialled", "sekretaris", None, None),
        (10, "signed", "kepala_badan", None, None),
        (11, "handed_over", "petugas_tu", None, None),
        (12, "received", "pemohon", None, None),
    ], "completed"),
}
# The first decision on each SOP that demands a note and ends the case: moves to reach it, then (step, decision,
# role, outcome).
NOTE_REQUIRED: dict[str, tuple[list[Move], tuple[int, str, str, str]]] = {
    "sop-a": ([(2, "registered", "petugas_tu", None, None)], (4, "not_this_division", "kabid", "not_this_division")),
    "sop-b": ([(2, "registered", "petugas_tu", None, None)], (4, "not_this_division", "kabid", "not_this_division")),
    # SOP C v2: an incomplete request goes up to the Kepala Badan, whose refusal or finding ends it
    "sop-c": ([(2, "incomplete", "petugas_tu", "Tujuan belum dicantumkan", None)],
              (3, "incomplete", "kepala_badan", "incomplete")),
}


def actor(*roles: str, id: str | None = None) -> Actor:
    return Actor(id=id or f"u-{'-'.join(roles)}", name=f"Pegawai {'/'.join(roles)}", roles=roles)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def open_case(sop: SopDefinition) -> Case:
    """As routing's `_open` does: the case, and step 1 completed by the submitter. No pending events."""
    start = sop.step(sop.start)
    assert start is not None
    case = Case(
        request_id=uuid4(), sop_id=sop.id, sop_version=sop.version,
        register_number="0001/REG/BAPPEDA/2026", subject="Permohonan data RKPD",
        applicant={"name": "Budi", "institution": "Dinas PU"}, start_step=sop.start, opened_at=T0,
        form=None, tracking_code=None,
    )
    case.complete_step(
        sop, step=sop.start, decision=start.decisions[0].id, actor=actor(start.role, id="portal"),
        occurred_at=T0, recorded_at=T0, command_id="submitted",
    )
    case.collect_events()
    return case


def play(case: Case, sop: SopDefinition, moves: list[Move], start_minute: int = 1) -> int:
    minute = start_minute
    for step, decision, role, note, withheld in moves:
        case.complete_step(
            sop, step=step, decision=decision, actor=actor(role), occurred_at=at(minute),
            recorded_at=at(minute), command_id=f"cmd-{step}-{minute}", note=note, withheld_parts=withheld,
            **required_content(sop, step, decision),
        )
        minute += 1
    return minute


def state(case: Case) -> dict[str, Any]:
    return {
        "version": case.version, "current_step": case.current_step, "outcome": case.outcome,
        "last_occurred_at": case.last_occurred_at, "command_ids": set(case.command_ids),
        "completed": list(case.completed), "is_open": case.is_open,
    }


def assert_refused_unchanged(case: Case, code: str, **kwargs: Any) -> None:
    sop = kwargs.pop("sop")
    before = state(case)
    with pytest.raises(Refused) as refused:
        case.complete_step(sop, **kwargs)
    assert refused.value.code == code, refused.value.reason
    assert case.collect_events() == []
    assert state(case) == before


@pytest.fixture(params=SOP_IDS)
def sop(request: pytest.FixtureRequest) -> SopDefinition:
    return LIBRARY.latest(request.param)


def command(step: int, decision: str, who: Actor, occurred: datetime, recorded: datetime | None = None,
            **extra: Any) -> dict[str, Any]:
    return dict(step=step, decision=decision, actor=who, occurred_at=occurred,
                recorded_at=recorded or occurred, command_id=f"cmd-{uuid4()}", **extra)


# --- the SOP version -------------------------------------------------------------------------


def test_a_case_records_the_sop_version_it_started_on(sop: SopDefinition):
    case = open_case(sop)
    assert (case.sop_id, case.sop_version) == (sop.id, sop.version)
    assert case.current_step == 2
    assert case.is_open and case.outcome is None


def test_a_case_refuses_to_run_on_another_version_of_its_sop(sop: SopDefinition):
    case = open_case(sop)
    v2 = sop.model_copy(update={"version": sop.version + 1})
    before = state(case)
    with pytest.raises(ValueError, match="SOP version it started on"):
        case.complete_step(v2, **command(2, sop.step(2).decisions[0].id, actor(sop.step(2).role), at(1)))
    assert case.collect_events() == [] and state(case) == before


def test_a_case_refuses_to_run_on_another_sop(sop: SopDefinition):
    case = open_case(sop)
    other = LIBRARY.latest(next(i for i in SOP_IDS if i != sop.id))
    before = state(case)
    with pytest.raises(ValueError):
        case.complete_step(other, **command(2, other.step(2).decisions[0].id, actor(other.step(2).role), at(1)))
    assert case.collect_events() == [] and state(case) == before


# --- refusals leave the case as it was ---------------------------------------------------------


def test_the_wrong_step_is_refused(sop: SopDefinition):
    case = open_case(sop)
    later = sop.steps[2]  # a real step, but not the current one
    assert later.number != case.current_step
    assert_refused_unchanged(case, "wrong_step", sop=sop,
                             **command(later.number, later.decisions[0].id, actor(later.role), at(1)))
    assert_refused_unchanged(case, "wrong_step", sop=sop, **command(1, "submitted", actor("pemohon"), at(1)))
    assert_refused_unchanged(case, "wrong_step", sop=sop, **command(99, "x", actor("petugas_tu"), at(1)))


def test_the_wrong_role_is_refused(sop: SopDefinition):
    case = open_case(sop)
    step = sop.step(2)
    assert step is not None and step.role == "petugas_tu"
    for roles in [("kabid",), ("pemohon", "kepala_badan"), ()]:
        assert_refused_unchanged(case, "wrong_role", sop=sop,
                                 **command(2, step.decisions[0].id, actor(*roles, id="u-x"), at(1)))


def test_an_unknown_decision_is_refused(sop: SopDefinition):
    case = open_case(sop)
    assert_refused_unchanged(case, "unknown_decision", sop=sop,
                             **command(2, "approved_by_magic", actor("petugas_tu"), at(1)))
    assert_refused_unchanged(case, "unknown_decision", sop=sop, **command(2, "", actor("petugas_tu"), at(1)))


def test_a_closed_case_refuses_every_step(sop: SopDefinition):
    case = open_case(sop)
    moves, _ = WALKS[sop.id]
    minute = play(case, sop, moves)
    case.collect_events()
    assert not case.is_open
    last_step, last_decision, last_role, _, _ = moves[-1]
    assert_refused_unchanged(case, "case_closed", sop=sop,
                             **command(last_step, last_decision, actor(last_role), at(minute)))
    assert_refused_unchanged(case, "case_closed", sop=sop, **command(2, "registered", actor("petugas_tu"), at(minute)))


@pytest.mark.parametrize("note", [None, ""])
def test_a_decision_that_needs_a_note_is_refused_without_one(sop: SopDefinition, note: str | None):
    case = open_case(sop)
    prefix, (step, decision, role, _) = NOTE_REQUIRED[sop.id]
    minute = play(case, sop, prefix)
    case.collect_events()
    assert_refused_unchanged(case, "missing_note", sop=sop, **command(step, decision, actor(role), at(minute), note=note))


def test_withholding_parts_needs_the_list_of_parts():
    sop = LIBRARY.latest("sop-c")
    case = open_case(sop)
    moves, _ = WALKS["sop-c"]
    minute = play(case, sop, moves[:5])  # up to and including step 6
    case.collect_events()
    assert case.current_step == 7
    for withheld in (None, []):
        assert_refused_unchanged(case, "missing_withheld_parts", sop=sop,
                                 **command(7, "verified_with_withheld_parts", actor("sub_koordinator"), at(minute),
                                           withheld_parts=withheld))


def test_a_step_that_happens_in_the_future_is_refused(sop: SopDefinition):
    case = open_case(sop)
    step = sop.step(2)
    assert_refused_unchanged(case, "invalid_time", sop=sop,
                             **command(2, step.decisions[0].id, actor(step.role), at(10), recorded=at(9)))
    assert_refused_unchanged(case, "invalid_time", sop=sop,
                             **command(2, step.decisions[0].id, actor(step.role),
                                       at(10) + timedelta(microseconds=1), recorded=at(10)))


def test_a_step_that_happens_before_the_previous_step_is_refused(sop: SopDefinition):
    case = open_case(sop)
    moves, _ = WALKS[sop.id]
    play(case, sop, moves[:1], start_minute=30)  # step 2 at minute 30
    case.collect_events()
    step_number, decision, role, note, withheld = moves[1]
    assert_refused_unchanged(case, "invalid_time", sop=sop,
                             **command(step_number, decision, actor(role), at(29), recorded=at(40),
                                       note=note, withheld_parts=withheld))
    # the same instant as the previous step is not before it
    case.complete_step(sop, **command(step_number, decision, actor(role), at(30), recorded=at(40),
                                      note=note, withheld_parts=withheld))
    assert len(case.collect_events()) == 1


def test_an_accepted_step_after_refusals_gets_the_next_version(sop: SopDefinition):
    case = open_case(sop)
    version = case.version
    with pytest.raises(Refused):
        case.complete_step(sop, **command(2, "nope", actor("petugas_tu"), at(1)))
    step = sop.step(2)
    case.complete_step(sop, **command(2, step.decisions[0].id, actor(step.role), at(1)))
    [completed] = case.collect_events()
    assert completed.originator_version == version + 1 == case.version


# --- what is recorded --------------------------------------------------------------------------


def test_opening_records_the_case_and_the_submitters_step():
    sop = LIBRARY.latest("sop-c")
    request_id = uuid4()
    case = Case(request_id=request_id, sop_id=sop.id, sop_version=sop.version, register_number="0007/REG/BAPPEDA/2026",
                subject="Data RKPD", applicant={"name": "Sari"}, start_step=sop.start, opened_at=T0,
                form=None, tracking_code=None)
    case.complete_step(sop, step=1, decision="submitted", actor=actor("pemohon", id="portal"), occurred_at=T0,
                       recorded_at=at(1), command_id="evt-1")
    opened, submitted = case.collect_events()
    assert case.id == request_id
    assert isinstance(opened, Case.Opened) and opened.originator_id == request_id
    assert (opened.sop_id, opened.sop_version, opened.start_step, opened.opened_at) == ("sop-c", sop.version, 1, T0)
    assert opened.register_number == "0007/REG/BAPPEDA/2026" and opened.applicant == {"name": "Sari"}
    assert isinstance(submitted, Case.StepCompleted) and submitted.step == 1 and submitted.next_step == 2
    assert "evt-1" in case.command_ids


def test_every_step_completed_carries_who_what_when_and_which_sop(sop: SopDefinition):
    case = open_case(sop)
    moves, outcome = WALKS[sop.id]
    events: list[Any] = []
    for i, (step, decision, role, note, withheld) in enumerate(moves, start=1):
        who = actor(role, "operator", id=f"nip-{i}")  # an extra role is not what the step records
        case.complete_step(sop, step=step, decision=decision, actor=who, occurred_at=at(i),
                           recorded_at=at(i) + timedelta(seconds=5), command_id=f"cmd-{i}", note=note,
                           withheld_parts=withheld, **required_content(sop, step, decision))
        events += case.collect_events()
    completed = [e for e in events if isinstance(e, Case.StepCompleted)]
    assert len(completed) == len(moves)
    for i, (e, (step, decision, role, note, withheld)) in enumerate(zip(completed, moves), start=1):
        assert e.originator_id == case.id
        assert (e.sop_id, e.sop_version) == (sop.id, sop.version)
        assert e.step == step and e.decision == decision
        assert e.actor == {"id": f"nip-{i}", "name": f"Pegawai {role}/operator", "role": role}
        assert e.note == note
        assert e.withheld_parts == (withheld or [])
        assert e.occurred_at == at(i) and e.recorded_at == at(i) + timedelta(seconds=5)
        assert e.command_id == f"cmd-{i}"
        content = required_content(sop, step, decision)
        assert (e.draft, e.attachments) == (content.get("draft"), content.get("attachments", []))
    # the versions follow one another without a gap
    versions = [e.originator_version for e in events]
    assert versions == list(range(versions[0], versions[0] + len(events)))
    assert [c["step"] for c in case.completed] == [1] + [m[0] for m in moves]


def test_a_final_decision_records_the_step_then_closes_with_the_outcome(sop: SopDefinition):
    case = open_case(sop)
    moves, outcome = WALKS[sop.id]
    minute = play(case, sop, moves[:-1])
    case.collect_events()
    step, decision, role, note, withheld = moves[-1]
    case.complete_step(sop, step=step, decision=decision, actor=actor(role), occurred_at=at(minute),
                       recorded_at=at(minute + 1), command_id="last", note=note, withheld_parts=withheld)
    completed, closed = case.collect_events()
    assert isinstance(completed, Case.StepCompleted) and completed.step == step and completed.next_step is None
    assert isinstance(closed, Case.Closed)
    assert closed.originator_id == case.id and closed.originator_version == completed.originator_version + 1
    assert (closed.sop_id, closed.sop_version, closed.outcome) == (sop.id, sop.version, outcome)
    assert closed.closed_at == at(minute) and closed.recorded_at == at(minute + 1)
    assert not case.is_open and case.current_step is None and case.outcome == outcome


def test_an_early_end_closes_with_its_own_outcome(sop: SopDefinition):
    case = open_case(sop)
    prefix, (step, decision, role, outcome) = NOTE_REQUIRED[sop.id]
    minute = play(case, sop, prefix)
    case.collect_events()
    case.complete_step(sop, **command(step, decision, actor(role), at(minute), note="Bukan kewenangan bidang"))
    completed, closed = case.collect_events()
    assert completed.note == "Bukan kewenangan bidang" and completed.decision == decision
    assert closed.outcome == outcome == case.outcome


def test_a_loop_back_returns_to_the_earlier_step():
    sop = LIBRARY.latest("sop-c")
    case = open_case(sop)
    moves, _ = WALKS["sop-c"]
    minute = play(case, sop, moves[:5])
    case.complete_step(sop, **command(7, "data_wrong", actor("sub_koordinator"), at(minute), note="Angka 2025 salah"))
    assert case.current_step == 6 and case.is_open
    minute = play(case, sop, moves[4:], start_minute=minute + 1)
    assert case.outcome == "completed"
    assert [c["step"] for c in case.completed].count(6) == 2
