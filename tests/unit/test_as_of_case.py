"""A case as of an instant: the register row and the audit trail folded from the events recorded by then.

The same fold as the live read model, fed only what the logs held at that instant: between two steps the
later one is current and the trail ends with the earlier; before the submission there is no case.
"""
from __future__ import annotations

from datetime import timedelta

from services.intake.rows import current_step, register_row
from services.intake.views.as_of import folded, registered
from shared.pii.keystore import sqlite_keystore
from shared.pii.reveal import Revealer
from shared.sop.loader import SopLibrary
from tests.unit.test_projection_folds import a_case, applied

LIBRARY = SopLibrary.from_directory()
PLAIN = Revealer(sqlite_keystore(":memory:"))  # the folds' test events carry no sealed fields
TICK = timedelta(microseconds=1)


def test_between_two_steps_the_later_one_is_current_and_the_trail_ends_with_the_earlier():
    case_id, messages = a_case()
    steps = [m for m in messages if m.type == "StepCompleted"]
    for done, following in zip(steps, steps[1:]):
        at = done.recorded_at + (following.recorded_at - done.recorded_at) / 2
        store = folded(case_id, messages, at)
        row = registered(store, case_id)
        assert row["current_step"] == done.data.next_step == following.step
        assert current_step(row, LIBRARY)["role"] == done.data.next_role
        expected = sorted((m for m in messages if m.recorded_at <= at), key=lambda m: (m.recorded_at, m.source, m.position))
        assert [r["event_id"] for r in store.audit(case_id)] == [m.event_id for m in expected]
        assert expected[-1].event_id == done.event_id  # nothing after the earlier step shows through


def test_an_instant_on_an_event_includes_it_and_one_tick_before_does_not():
    case_id, messages = a_case()
    closed = next(m for m in messages if m.type == "CaseClosed")
    assert registered(folded(case_id, messages, closed.recorded_at), case_id)["outcome"] == "completed"
    before = registered(folded(case_id, messages, closed.recorded_at - TICK), case_id)
    assert before["outcome"] is None


def test_as_of_now_is_the_live_answer():
    case_id, messages = a_case()
    latest = max(m.recorded_at for m in messages)
    live, then = applied(messages), folded(case_id, messages, latest)
    assert register_row(registered(then, case_id), LIBRARY, PLAIN) == register_row(live.case(case_id), LIBRARY, PLAIN)
    assert then.audit(case_id) == live.audit(case_id)


def test_before_the_submission_was_recorded_there_is_no_case():
    case_id, messages = a_case()
    submitted = next(m for m in messages if m.type == "RequestSubmitted")
    assert registered(folded(case_id, messages, submitted.recorded_at - TICK), case_id) is None


def test_events_of_other_cases_are_left_out():
    case_id, messages = a_case()
    other_id, others = a_case(intake_position=8, routing_position=40)
    store = folded(case_id, messages + others, max(m.recorded_at for m in messages + others))
    assert {r["case_id"] for r in store.audit(case_id)} == {case_id} and store.case(other_id) is None
