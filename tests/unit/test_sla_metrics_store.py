"""The SLA collector over the real read model (SlaStore.visits), and the SLA service's /metrics."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

import httpx
from prometheus_client import CollectorRegistry

from services.sla.bootstrap import bootstrap
from services.sla.metrics import SlaCollector
from services.sla.metrics_deadline import deadline_counts, deadline_state
from shared.clock import FixedClock
from shared.settings import Settings
from tests.unit.test_sla_projection import applied, local, sop_c_to_step_6


def test_the_collector_reads_the_stores_visits_library_and_calendar():
    log, messages = sop_c_to_step_6()  # SOP C to step 6; steps 3 and 5 ran late
    registry = CollectorRegistry()
    registry.register(SlaCollector(applied(messages), FixedClock(local("09:00", days=1))))
    value = registry.get_sample_value
    data = {"sop_id": "sop-c", "step": "6", "role": "staf_data"}
    assert value("sop_step_next_due_timestamp_seconds", data) == local("15:45", days=1).timestamp()
    assert value("sop_open_steps", data) == 1
    assert value("sop_oldest_open_step_age_seconds", {"sop_id": "sop-c"}) == (
        local("09:00", days=1) - local("15:45")).total_seconds()
    head = {"sop_id": "sop-c", "step": "3", "role": "kepala_badan"}
    assert value("sop_step_completions_total", head | {"timeliness": "late"}) == 1
    assert value("sop_step_completions_total", head | {"timeliness": "on_time"}) == 0
    assert value("sop_step_working_duration_seconds_sum", head) == 70 * 60  # 10:20 to 11:30
    assert value("sop_step_standard_seconds", data) == 27000
    assert value("sop_open_steps", {"sop_id": "sop-a", "step": "8", "role": "pemohon"}) == 0  # idle SOP


async def test_the_service_serves_the_collector_on_metrics():
    service = bootstrap(Settings(persistence="memory"))
    log, messages = sop_c_to_step_6()
    for message in messages:
        service.store.apply(message)
    transport = httpx.ASGITransport(app=service.http)  # no lifespan: nothing touches Redis
    async with httpx.AsyncClient(transport=transport, base_url="http://sla") as client:
        metrics = (await client.get("/metrics")).text
    assert 'sop_step_next_due_timestamp_seconds{role="staf_data",sop_id="sop-c",step="6"}' in metrics
    assert log.case_id not in metrics
    assert 'sop_open_steps{role="staf_data",sop_id="sop-c",step="6"} 1.0' in metrics
    assert 'sop_step_completions_total{role="kepala_badan",sop_id="sop-c",step="3",timeliness="late"} 1.0' in metrics
    assert "# TYPE sop_step_working_duration_seconds histogram" in metrics


def test_open_cases_are_counted_against_their_statutory_deadline():
    log, messages = sop_c_to_step_6()
    store = applied(messages)
    deadline = store.case_clock(log.case_id).statutory_due_at  # 10 working days from registration

    def counts(now) -> dict[str, float]:
        registry = CollectorRegistry()
        registry.register(SlaCollector(store, FixedClock(now)))
        return {state: registry.get_sample_value("sop_statutory_deadline_open_cases",
                                                 {"sop_id": "sop-c", "deadline": state})
                for state in ("passed", "within_2_working_days", "later")}

    assert counts(local("09:00", days=1)) == {"passed": 0, "within_2_working_days": 0, "later": 1}
    assert counts(deadline - timedelta(days=7)) == {"passed": 0, "within_2_working_days": 0, "later": 1}
    assert counts(deadline - timedelta(hours=2)) == {"passed": 0, "within_2_working_days": 1, "later": 0}
    assert counts(deadline + timedelta(minutes=1)) == {"passed": 1, "within_2_working_days": 0, "later": 0}


def test_a_paused_case_is_judged_where_its_clock_stopped():
    log, messages = sop_c_to_step_6()
    clock = applied(messages).case_clock(log.case_id)
    calendar = applied([]).calendar
    paused = dataclasses.replace(clock, paused_since=clock.statutory_due_at - timedelta(days=20))
    assert deadline_state(paused, calendar, clock.statutory_due_at + timedelta(days=30)) == "later"
    assert deadline_state(clock, calendar, clock.statutory_due_at + timedelta(days=30)) == "passed"


class CountingCalendar:
    """The store's calendar, counting how often a scrape asks it for two working days after an instant."""

    def __init__(self, calendar):
        self.calendar, self.asked = calendar, []

    def add(self, at, **kwargs):
        self.asked.append(at)
        return self.calendar.add(at, **kwargs)


def test_open_cases_running_at_the_same_instant_are_judged_with_one_look_at_the_calendar():
    # issue 9: with 100,000 open cases each one asked the calendar the same question, 10 s a scrape
    log, messages = sop_c_to_step_6()
    clock = applied(messages).case_clock(log.case_id)
    calendar = CountingCalendar(applied([]).calendar)
    paused = dataclasses.replace(clock, paused_since=clock.statutory_due_at - timedelta(days=20))
    now = clock.statutory_due_at - timedelta(hours=2)
    clocks = [clock, dataclasses.replace(clock, case_id="c2"), paused, dataclasses.replace(paused, case_id="p2")]
    counts = deadline_counts(clocks, calendar, now)
    assert counts == {("sop-c", "within_2_working_days"): 2, ("sop-c", "later"): 2}
    assert [deadline_state(c, calendar.calendar, now) for c in clocks] == [
        "within_2_working_days", "within_2_working_days", "later", "later"]
    assert sorted(calendar.asked) == sorted([now, paused.paused_since])  # once per instant, not per case
