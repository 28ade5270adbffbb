"""Pauses stop every clock of a case; SOP C also runs the statutory clock of UU 14/2008, extendable once."""
from __future__ import annotations

from datetime import timedelta

from tests.unit.test_sla_projection import HOUR, RoutingLog, applied, local


def sop_c_at_step_5(log: RoutingLog) -> list:
    """Registered Wednesday 08:00; step 5 (Sub Koordinator, 1 jam) current from 08:00, due 09:00."""
    at = local("08:00")
    return log.open(at) + [log.complete(2, "verified", at), log.complete(3, "approved", at),
                           log.complete(4, "dispositioned", at)]


def test_a_pause_of_two_working_hours_makes_the_step_due_two_hours_later():
    log = RoutingLog("sop-c")
    messages = sop_c_at_step_5(log) + [log.pause(local("08:30")), log.resume(local("10:30"), "data diterima")]
    step_5 = applied(messages).visits(open_only=True)[0]
    assert (step_5.step, step_5.due_at, step_5.paused_since) == (5, local("11:00"), None)

    done = applied(messages + [log.complete(5, "drafted", local("10:45"))]).visits(case_id=log.case_id)[4]
    assert done.on_time is True
    assert done.working_seconds == 0.75 * HOUR  # 08:00-08:30 and 10:30-10:45; the pause is left out


def test_a_pause_over_night_costs_only_the_working_time_it_covers():
    log = RoutingLog("sop-c")
    messages = sop_c_at_step_5(log) + [log.pause(local("08:45")), log.resume(local("08:00", days=1))]
    # 45 minutes used before the pause, 15 left after it: the night, not counted anyway, changes nothing.
    assert applied(messages).visits(open_only=True)[0].due_at == local("08:15", days=1)


def test_while_paused_the_clock_stands_and_the_due_time_is_a_lower_bound():
    log = RoutingLog("sop-c")
    sla = applied(sop_c_at_step_5(log) + [log.pause(local("08:30"))])
    step_5, clock = sla.visits(open_only=True)[0], sla.case_clock(log.case_id)
    assert step_5.paused_since == local("08:30") and clock.paused_since == local("08:30")
    assert step_5.due_at == local("09:00")  # as if resumed where it stopped; the monitor knows it stands


def test_the_sop_total_counts_from_registration_with_paused_time_added():
    log = RoutingLog("sop-c")
    clock = applied(sop_c_at_step_5(log)).case_clock(log.case_id)
    # SOP C: 1 hari + 7 jam; Thursday 08:00 plus 7 working hours is Thursday 16:00.
    assert (clock.sop_standard, clock.sop_due_at) == ("1 hari + 7 jam", local("16:00", days=1))
    paused = applied(sop_c_at_step_5(log) + [log.pause(local("08:30")), log.resume(local("10:30"))])
    assert paused.case_clock(log.case_id).sop_due_at == local("09:30", days=2)  # two hours on: Friday 09:30


def test_sop_c_has_ten_working_days_extendable_once_by_seven():
    log = RoutingLog("sop-c")
    messages = sop_c_at_step_5(log)
    clock = applied(messages).case_clock(log.case_id)
    assert clock.statutory_basis == "UU 14/2008 pasal 22" and not clock.extended
    assert clock.statutory_due_at == local("08:00", days=14)  # ten working days: Wednesday 9 December

    messages.append(log.extend(local("09:00")))
    extended = applied(messages).case_clock(log.case_id)
    assert extended.extended and extended.statutory_due_at == local("08:00", days=23)  # Friday 18 December

    # A second extension is not more time (the law allows one); it is kept as a count, so it shows.
    messages.append(log.extend(local("10:00"), reason="sekali lagi"))
    again = applied(messages).case_clock(log.case_id)
    assert again.statutory_due_at == extended.statutory_due_at and again.extensions_ignored == 1


def test_a_pause_also_stops_the_statutory_clock():
    log = RoutingLog("sop-c")
    messages = sop_c_at_step_5(log) + [log.pause(local("08:30")), log.resume(local("10:30"))]
    assert applied(messages).case_clock(log.case_id).statutory_due_at == local("10:00", days=14)


def test_sops_without_a_statutory_clock_have_none_and_ignore_extensions():
    log = RoutingLog("sop-a")
    clock = applied(log.open(local("08:00")) + [log.extend(local("08:10"))]).case_clock(log.case_id)
    assert (clock.statutory_due_at, clock.statutory_basis, clock.extended) == (None, None, False)
    assert clock.extensions_ignored == 1
    assert (clock.sop_standard, clock.sop_due_at) == ("4,5 jam", local("13:30"))


def test_a_closed_case_says_whether_it_kept_its_clocks():
    log = RoutingLog("sop-c")
    friday = local("09:00", days=2)
    messages = sop_c_at_step_5(log) + [log.complete(5, "drafted", local("08:30"))] + [
        log.complete(step, decision, friday) for step, decision in [
            (6, "data_prepared"), (7, "verified"), (8, "initialled"), (9, "initialled"), (10, "signed"),
            (11, "handed_over"), (12, "received")]] + [log.close("completed", friday)]
    clock = applied(messages).case_clock(log.case_id)
    assert (clock.closed_at, clock.outcome) == (friday, "completed")
    assert clock.sop_on_time is False and clock.statutory_on_time is True  # due Thursday 16:00; law: 9 Dec
    assert clock.paused_since is None and friday - clock.opened_at == timedelta(days=2, hours=1)
