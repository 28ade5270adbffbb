"""The SLA collector's samples for a hand-built visit list: durations against the standard, completions
by timeliness, open / at-risk / breached steps, breaches, the oldest open step's age, zero series; counters
that do not fall when the visits are judged again; no series per case."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

from prometheus_client import CollectorRegistry, generate_latest

from shared.working_calendar import WorkingCalendar
from services.sla.metrics import BUCKETS, SlaCollector
from services.sla.visits import Visit
from shared.clock import FixedClock
from shared.sop.loader import SopLibrary

LIBRARY = SopLibrary.from_directory()
NOW = datetime(2026, 3, 4, 3, 0, tzinfo=timezone.utc)  # Wednesday 10:00 in Ketapang
CLERK = {"sop_id": "sop-c", "step": "2", "role": "petugas_tu"}
DATA = {"sop_id": "sop-c", "step": "6", "role": "staf_data"}


class FakeStore:
    def __init__(self, visits: list[Visit]):
        self._visits, self.calls = visits, 0

    def visits(self) -> list[Visit]:
        self.calls += 1
        return list(self._visits)

    def replace(self, visits: list[Visit]) -> None:
        self._visits = visits


def visit(step: int, case_id: str, started_h_ago: float, worked_h: float | None = None, on_time: bool | None = None,
          at_risk: bool = False, breached: bool = False, sop_id: str = "sop-c") -> Visit:
    s = LIBRARY.latest(sop_id).step(step)
    start = NOW - timedelta(hours=started_h_ago)
    standard = float(s.standard_time.hours) * 3600 + float(s.standard_time.days) * 27000
    due = start + timedelta(seconds=standard)
    return Visit(case_id=case_id, sop_id=sop_id, sop_version=1, step=step, role=s.role, visit=step, started_at=start,
                 standard=s.standard_time.label(), standard_seconds=standard, due_at=due,
                 completed_at=None if worked_h is None else start + timedelta(hours=worked_h),
                 working_seconds=None if worked_h is None else worked_h * 3600, on_time=on_time,
                 at_risk_at=start if at_risk else None, breached_at=due if breached else None)


def sample() -> list[Visit]:
    return [
        visit(2, "c1", 50, worked_h=0.25, on_time=True), visit(2, "c2", 40, worked_h=0.5, on_time=True),
        visit(2, "c3", 30, worked_h=2.0, on_time=False, at_risk=True, breached=True),
        visit(6, "c1", 49, worked_h=6.0, on_time=True),
        visit(6, "c4", 26, at_risk=True, breached=True),  # open and breached: 26 h old
        visit(6, "c5", 3, at_risk=True),  # open, at risk
        visit(2, "c6", 0.1),  # open, fresh
    ]


def registry_for(visits: list[Visit], **kwargs) -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(SlaCollector(FakeStore(visits), FixedClock(NOW), library=LIBRARY, **kwargs))
    return registry


def test_working_durations_fill_cumulative_buckets_with_sum_and_count():
    value = registry_for(sample()).get_sample_value
    worked = [0.25 * 3600, 0.5 * 3600, 2 * 3600]  # the three completed visits of step 2
    for bound in BUCKETS:
        le = str(float(bound))
        assert value("sop_step_working_duration_seconds_bucket", CLERK | {"le": le}) == sum(w <= bound for w in worked)
    assert value("sop_step_working_duration_seconds_bucket", CLERK | {"le": "+Inf"}) == 3
    assert value("sop_step_working_duration_seconds_count", CLERK) == 3
    assert value("sop_step_working_duration_seconds_sum", CLERK) == sum(worked)
    assert value("sop_step_working_duration_seconds_count", DATA) == 1  # open visits are not measured yet


def test_buckets_bracket_every_standard_of_the_library_and_no_work_at_all():
    standards = {float(s.standard_time.hours) * 3600 + float(s.standard_time.days) * 27000
                 for sop in LIBRARY.all() for s in sop.steps}
    assert standards <= set(BUCKETS) and BUCKETS[0] == 0
    for standard in standards:  # half and twice the standard are told apart from it
        assert {standard / 2, standard * 2} & set(BUCKETS), standard
    done_after_hours = [visit(2, "c9", 20, worked_h=0.0, on_time=True)]
    value = registry_for(done_after_hours).get_sample_value
    assert value("sop_step_working_duration_seconds_bucket", CLERK | {"le": "0.0"}) == 1


def test_completions_are_counted_on_time_and_late():
    value = registry_for(sample()).get_sample_value
    for name in ("sop_step_completions_total", "sop_step_completed_visits"):
        assert value(name, CLERK | {"timeliness": "on_time"}) == 2
        assert value(name, CLERK | {"timeliness": "late"}) == 1
        assert value(name, DATA | {"timeliness": "on_time"}) == 1
        assert value(name, DATA | {"timeliness": "late"}) == 0


def test_a_recompute_moves_the_gauges_and_no_counter_falls():
    visits = sample()
    store = FakeStore(visits)
    registry = CollectorRegistry()
    registry.register(SlaCollector(store, FixedClock(NOW), library=LIBRARY))
    value = registry.get_sample_value
    assert value("sop_step_completions_total", CLERK | {"timeliness": "late"}) == 1
    # A holiday decreed late: c3's step 2 is on time after all, and took less working time.
    late = visits[2]
    store.replace([*visits[:2], dataclasses.replace(late, on_time=True, working_seconds=600.0), *visits[3:]])
    assert value("sop_step_completed_visits", CLERK | {"timeliness": "late"}) == 0
    assert value("sop_step_completed_visits", CLERK | {"timeliness": "on_time"}) == 3
    assert value("sop_step_completions_total", CLERK | {"timeliness": "late"}) == 1
    assert value("sop_step_completions_total", CLERK | {"timeliness": "on_time"}) == 2
    assert value("sop_step_working_duration_seconds_sum", CLERK) == (0.25 + 0.5 + 2) * 3600
    assert value("sop_sla_breaches_total", CLERK) == 1
    store.replace([*visits, visit(2, "c7", 5, worked_h=0.1, on_time=True)])  # a new completion counts
    assert value("sop_step_completions_total", CLERK | {"timeliness": "on_time"}) == 3


def test_open_at_risk_and_breached_steps_and_breaches_open_or_closed():
    value = registry_for(sample()).get_sample_value
    assert (value("sop_open_steps", DATA), value("sop_open_steps", CLERK)) == (2, 1)
    assert (value("sop_steps_at_risk", DATA), value("sop_steps_at_risk", CLERK)) == (1, 0)  # breached is not at risk
    assert (value("sop_steps_breached", DATA), value("sop_steps_breached", CLERK)) == (1, 0)
    assert (value("sop_sla_breaches_total", DATA), value("sop_sla_breaches_total", CLERK)) == (1, 1)


def test_the_oldest_open_step_is_aged_by_the_injected_clock():
    value = registry_for(sample()).get_sample_value
    assert value("sop_oldest_open_step_age_seconds", {"sop_id": "sop-c"}) == 26 * 3600
    assert value("sop_oldest_open_step_age_seconds", {"sop_id": "sop-a"}) == 0  # nothing open
    later = CollectorRegistry()
    clock = FixedClock(NOW)
    later.register(SlaCollector(FakeStore(sample()), clock, library=LIBRARY))
    clock.advance(timedelta(minutes=30))
    assert later.get_sample_value("sop_oldest_open_step_age_seconds", {"sop_id": "sop-c"}) == 26.5 * 3600


def test_the_first_due_time_per_step_and_no_series_per_case():
    visits = [*sample(), visit(2, "c8", 0.05)]
    paused = dataclasses.replace(visit(6, "c9", 30), paused_since=NOW - timedelta(hours=1))
    registry = registry_for([*visits, paused])
    value = registry.get_sample_value
    assert value("sop_step_next_due_timestamp_seconds", CLERK) == visits[6].due_at.timestamp()  # c6 before c8
    assert value("sop_step_next_due_timestamp_seconds", DATA) == visits[4].due_at.timestamp()  # not paused c9
    assert value("sop_step_next_due_timestamp_seconds", {"sop_id": "sop-a", "step": "1", "role": "pemohon"}) is None
    assert "case_id" not in generate_latest(registry).decode()


def test_idle_steps_of_the_library_have_zero_series_before_the_first_case():
    value = registry_for([], calendar=WorkingCalendar()).get_sample_value
    for sop in LIBRARY.all():
        for step in sop.steps:
            labels = {"sop_id": sop.id, "step": str(step.number), "role": step.role}
            for timeliness in ("on_time", "late"):
                assert value("sop_step_completions_total", labels | {"timeliness": timeliness}) == 0
                assert value("sop_step_completed_visits", labels | {"timeliness": timeliness}) == 0
            for name in ("sop_open_steps", "sop_steps_at_risk", "sop_steps_breached", "sop_sla_breaches_total",
                         "sop_step_working_duration_seconds_count"):
                assert value(name, labels) == 0, (name, labels)
            assert value("sop_step_working_duration_seconds_bucket", labels | {"le": "+Inf"}) == 0
            assert value("sop_step_standard_seconds", labels) > 0
        assert value("sop_oldest_open_step_age_seconds", {"sop_id": sop.id}) == 0
    for deadline in ("passed", "within_2_working_days", "later"):  # only SOP C runs the UU 14/2008 clock
        assert value("sop_statutory_deadline_open_cases", {"sop_id": "sop-c", "deadline": deadline}) == 0
        assert value("sop_statutory_deadline_open_cases", {"sop_id": "sop-a", "deadline": deadline}) is None
    assert value("sop_step_completions_total", {"sop_id": "sop-a", "step": "3", "role": "petugas_tu",
                                                "timeliness": "late"}) is None  # SOP A has no step 3


def test_standards_come_from_the_library_in_working_seconds_of_the_calendar():
    value = registry_for([], calendar=WorkingCalendar()).get_sample_value
    assert value("sop_step_standard_seconds", DATA) == 27000  # 1 hari = one working day of 7,5 h
    assert value("sop_step_standard_seconds", CLERK) == 1800  # 0,5 jam
    without_calendar = registry_for(sample()).get_sample_value  # then each step's latest visit says it
    assert without_calendar("sop_step_standard_seconds", DATA) == 27000


def test_registering_reads_nothing_and_the_exposition_names_types():
    store = FakeStore(sample())
    registry = CollectorRegistry()
    registry.register(SlaCollector(store, FixedClock(NOW), library=LIBRARY))
    assert store.calls == 0
    text = generate_latest(registry).decode()
    assert store.calls == 1
    for name, kind in [("sop_step_working_duration_seconds", "histogram"), ("sop_step_completions_total", "counter"),
                       ("sop_sla_breaches_total", "counter"), ("sop_steps_breached", "gauge"),
                       ("sop_oldest_open_step_age_seconds", "gauge"), ("sop_step_standard_seconds", "gauge"),
                       ("sop_step_completed_visits", "gauge"), ("sop_statutory_deadline_open_cases", "gauge")]:
        assert f"# TYPE {name} {kind}" in text
