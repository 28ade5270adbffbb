"""The SLA monitor with a fake clock: at-risk and breach events at the right instant, once, escalated upward."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from services.sla.application import Sla
from services.sla.messages import to_message
from services.sla.sla_settings import SlaSettings
from shared.agency import agency
from shared.clock import FixedClock
from shared.contracts import EventMessage
from shared.eventstore import store_env
from shared.settings import Settings
from tests.unit.test_sla_projection import RoutingLog, applied, local
from tests.unit.test_sla_projection_holds import sop_c_at_step_5

STEP_5_START, STEP_5_DUE = local("08:00"), local("09:00")  # Sub Koordinator, 1 jam


def monitor(messages: list[EventMessage], settings: SlaSettings | None = None) -> Sla:
    return Sla(applied(messages), settings or SlaSettings(), env=store_env(Settings(persistence="memory"), "sla"))


def published(sla: Sla) -> list[EventMessage]:
    """What the relay would put on sop.sla.events."""
    found = sla.recorder.select_notifications(start=0, limit=1000, inclusive_of_start=False)
    messages = [to_message(sla.mapper.to_domain_event(n), n.id) for n in found]
    return [m for m in messages if m is not None]


def at_share(share: float) -> datetime:
    return STEP_5_START + timedelta(hours=share)


def test_at_risk_is_recorded_once_at_the_instant_75_percent_is_used():
    log = RoutingLog("sop-c")
    sla = monitor(sop_c_at_step_5(log))
    assert sla.tick(at_share(0.74)) == 0
    assert sla.tick(at_share(0.76)) == 1
    [risk] = published(sla)
    assert (risk.type, risk.case_id, risk.step, risk.source) == ("StepAtRisk", log.case_id, 5, "sla")
    assert risk.occurred_at == local("08:45")  # the 75 % instant, not the tick's
    assert risk.recorded_at == at_share(0.76)
    assert risk.data.used_fraction == 0.75 and risk.data.role == "sub_koordinator"
    assert risk.data.due_at == STEP_5_DUE
    assert risk.actor.id == "sla-monitor" and risk.actor.role == "system"
    assert sla.tick(at_share(0.9)) == 0  # once per visit


def test_a_breach_is_recorded_after_the_standard_and_escalated_to_the_role_above():
    log = RoutingLog("sop-c")
    sla = monitor(sop_c_at_step_5(log))
    sla.tick(at_share(0.8))
    assert sla.tick(STEP_5_DUE) == 0  # reaching the standard is not passing it
    assert sla.tick(STEP_5_DUE + timedelta(seconds=30)) == 2
    breach, escalation = published(sla)[1:]
    assert (breach.type, breach.occurred_at, breach.data.used_fraction) == ("StepBreached", STEP_5_DUE, 1.0)
    assert escalation.type == "EscalationRaised" and escalation.occurred_at == STEP_5_DUE
    assert (escalation.data.from_role, escalation.data.to_role) == ("sub_koordinator", "kabid")
    assert escalation.step == 5
    assert "melewati waktu standar 1 jam; batas waktu 25/11/2026 pukul 09.00 WIB" in escalation.data.reason  # Indonesian, WIB
    assert escalation.note == escalation.data.reason
    roles = agency().roles  # titles a person reads, never the ids
    assert f"Langkah 5 ({roles['sub_koordinator']})" in escalation.data.reason
    assert escalation.data.reason.endswith(f"diteruskan kepada {roles['kabid']}")
    assert not any(re.search(rf"\b{role}\b", escalation.data.reason) for role in roles)
    assert sla.tick(STEP_5_DUE + timedelta(hours=3)) == 0 and len(published(sla)) == 3


def test_a_late_tick_still_reports_the_instants_the_thresholds_were_crossed():
    log = RoutingLog("sop-c")
    sla = monitor(sop_c_at_step_5(log))
    assert sla.tick(local("11:00")) == 3  # e.g. the service was down all morning
    assert [(m.type, m.occurred_at) for m in published(sla)] == [
        ("StepAtRisk", local("08:45")), ("StepBreached", STEP_5_DUE), ("EscalationRaised", STEP_5_DUE)]


def test_a_paused_clock_crosses_nothing_until_it_runs_again():
    log = RoutingLog("sop-c")
    messages = sop_c_at_step_5(log) + [log.pause(local("08:30"))]
    sla = monitor(messages)
    assert sla.tick(local("15:00")) == 0
    sla.store.apply(log.resume(local("10:30")))  # 30 min used before the pause; 45 min is 75 %
    assert sla.tick(local("10:44")) == 0
    assert sla.tick(local("10:46")) == 1 and published(sla)[0].occurred_at == local("10:45")


def test_alerts_read_back_mark_the_visit_and_spare_the_next_tick():
    log = RoutingLog("sop-c")
    sla = monitor(sop_c_at_step_5(log))
    sla.tick(local("09:30"))
    for message in published(sla):
        assert sla.store.apply(message)
    [visit] = sla.store.visits(open_only=True)
    assert (visit.at_risk_at, visit.breached_at) == (local("08:45"), STEP_5_DUE)
    assert sla.tick(local("10:00")) == 0


def test_the_head_of_the_agency_has_nobody_above_and_the_map_is_a_setting():
    log = RoutingLog("sop-c")
    at = local("08:00")
    to_step_10 = sop_c_at_step_5(log) + [log.complete(step, decision, at) for step, decision in [
        (5, "drafted"), (6, "data_prepared"), (7, "verified"), (8, "initialled"), (9, "initialled")]]
    sla = monitor(to_step_10)
    assert sla.tick(local("09:00")) == 2  # at risk and breached (0,5 jam); no escalation
    assert [m.type for m in published(sla)] == ["StepAtRisk", "StepBreached"]

    custom = SlaSettings(escalation={"kepala_badan": "sekretaris"}, at_risk_fraction=0.5)
    other = monitor(to_step_10, custom)
    assert other.tick(local("08:15")) == 1 and published(other)[0].data.used_fraction == 0.5
    assert other.tick(local("09:00")) == 2 and published(other)[-1].data.to_role == "sekretaris"


def test_ticking_every_15_seconds_reports_within_a_tick_of_the_instant():
    log = RoutingLog("sop-c")
    sla, clock = monitor(sop_c_at_step_5(log)), FixedClock(local("08:00") + timedelta(seconds=7))
    while clock.now() < local("09:05"):
        sla.tick(clock.now())
        clock.advance(timedelta(seconds=SlaSettings().tick_seconds))
    for alert in published(sla):
        assert timedelta(0) <= alert.recorded_at - alert.occurred_at <= timedelta(seconds=15)


def test_the_alerts_land_in_the_cases_audit_trail_and_the_kabids_inbox():
    from services.intake.views.store import ViewStore  # intake's read models: the consumer of sop.sla.events

    log = RoutingLog("sop-c")
    messages = sop_c_at_step_5(log)
    sla, views = monitor(messages), ViewStore(":memory:")
    sla.tick(local("09:30"))
    for message in messages + published(sla):
        assert views.apply(message)
    trail = [(row["type"], row["role"]) for row in views.audit(log.case_id) if row["source"] == "sla"]
    assert trail == [("StepAtRisk", "system"), ("StepBreached", "system"), ("EscalationRaised", "system")]
    [escalated] = views.escalations(["kabid"])
    assert (escalated["step"], escalated["from_role"]) == (5, "sub_koordinator")
    assert datetime.fromisoformat(escalated["raised_at"]) == STEP_5_DUE


def test_the_tick_reads_open_visits_one_at_a_time_and_keeps_only_those_that_may_have_crossed():
    # issue 9: with 100,000 open cases the tick held every open visit at once (tens of MiB each 15 s)
    logs = [RoutingLog("sop-c") for _ in range(3)]
    sla = monitor([m for log in logs for m in sop_c_at_step_5(log)])
    each = sla.store.each_visit(open_only=True)
    assert not isinstance(each, list) and next(each).completed_at is None  # a row read, not all of them
    assert list(sla.store.each_visit(open_only=True)) == sla.store.visits(open_only=True)
    assert len(sla.store.visits(open_only=True)) == 3
    assert sla.tick(at_share(0.76)) == 3
