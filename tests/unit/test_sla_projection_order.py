"""Rebuilding the SLA read model: the same rows from the same messages, in their order or any other."""
from __future__ import annotations

import random

from shared.contracts import EventMessage
from tests.unit.test_sla_projection import RoutingLog, applied, local, sop_c_to_step_6


def many_cases() -> list[EventMessage]:
    first, messages = sop_c_to_step_6()
    messages += [first.pause(local("08:00", days=1)), first.resume(local("10:00", days=1), "data diterima"),
                 first.extend(local("10:30", days=1)), first.complete(6, "data_prepared", local("11:00", days=1))]
    second = RoutingLog("sop-a")
    messages += second.open(local("17:00")) + [second.complete(2, "registered", local("08:10", days=1)),
                                               second.complete(4, "not_this_division", local("09:00", days=1)),
                                               second.close("not_this_division", local("09:00", days=1))]
    third = RoutingLog("sop-b")
    return messages + third.open(local("13:00")) + [third.pause(local("13:10"))]


def test_a_rebuild_gives_identical_rows_in_the_same_order_or_any_other():
    messages = many_cases()
    live = applied(messages)
    assert applied(messages).snapshot() == live.snapshot()
    assert applied(list(reversed(messages))).snapshot() == live.snapshot()  # late deliveries land right
    for seed in range(5):
        shuffled = messages[:]
        random.Random(seed).shuffle(shuffled)
        assert applied(shuffled).snapshot() == live.snapshot()


def test_a_completion_that_arrives_before_the_one_it_follows_waits_for_it():
    log, messages = sop_c_to_step_6()
    missing = messages.pop(3)  # step 3 completed: it also opens step 4's visit
    sla = applied(messages)
    step_3 = next(v for v in sla.visits(case_id=log.case_id) if v.step == 3)
    assert step_3.is_open  # step 4's completion is not taken for step 3's
    assert sla.apply(missing)
    assert sla.snapshot() == applied(messages[:3] + [missing] + messages[3:]).snapshot()
