"""Prometheus view of the SLA read model, read from the table at each scrape (docs/metrics.md).

A custom collector rather than metrics updated on every event: the table is the one truth, so
the figures are right after a restart or a rebuild without replaying anything into the registry.
Every (SOP, step, role) of the SOP library gets its series at zero, so dashboards show data
before the first case.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Protocol

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric

from services.sla.clocks import standard_seconds
from services.sla.visits import Visit
from shared.clock import Clock, SystemClock

# Working seconds; they bracket the standards: 0,5 / 0,75 / 1 / 1,5 / 2 / 4 jam, 1 / 2 / 4 / 10 hari of 7,5 h.
BUCKETS = (900, 1800, 2700, 3600, 5400, 7200, 14400, 27000, 54000, 108000, 270000)
STEP = ["sop_id", "step", "role"]
Key = tuple[str, str, str]  # (sop_id, step, role), the labels of STEP


class VisitSource(Protocol):
    def visits(self) -> list[Visit]: ...


def key_of(visit: Visit) -> Key:
    return visit.sop_id, str(visit.step), visit.role


class SlaCollector:
    """A prometheus_client collector over `store.visits()`. The SOP library and the working calendar
    default to the store's own (`SlaStore.library`, `SlaStore.calendar`, read at each scrape, so a
    recomputed calendar is picked up); `clock` gives the instant ages are measured to."""

    def __init__(self, store: VisitSource, clock: Clock | None = None, library: Any = None, calendar: Any = None):
        self.store, self.clock = store, clock or SystemClock()
        self._library, self._calendar = library, calendar

    def describe(self) -> Iterator[Metric]:
        # Names only, so registering never touches the database.
        return iter(self._families({}))

    def collect(self) -> Iterator[Metric]:
        now = self.clock.now()
        visits = self.store.visits()
        library = self._library or getattr(self.store, "library", None)
        steps = library_steps(library) if library is not None else []
        families = self._families(standards(steps, visits, self._calendar_in_use(), now))
        histogram, _standard, completions, opened, at_risk, breached, breaches, oldest, due = families
        keys = sorted({k for k, _ in steps} | {key_of(v) for v in visits})
        done = [v for v in visits if not v.is_open]
        durations = {k: [] for k in keys}
        for v in done:
            if v.working_seconds is not None:
                durations[key_of(v)].append(v.working_seconds)
        for k in keys:
            histogram.add_metric(list(k), buckets(durations[k]), sum(durations[k]))
        counts = Counter((key_of(v), "on_time" if v.on_time else "late") for v in done if v.on_time is not None)
        for k in keys:
            for timeliness in ("on_time", "late"):
                completions.add_metric([*k, timeliness], counts[(k, timeliness)])
        still_open = [v for v in visits if v.is_open]
        tallies = (
            (opened, still_open),
            (at_risk, [v for v in still_open if v.at_risk_at is not None and v.breached_at is None]),
            (breached, [v for v in still_open if v.breached_at is not None]),
            (breaches, [v for v in visits if v.breached_at is not None]),
        )
        for family, chosen in tallies:
            per_key = Counter(key_of(v) for v in chosen)
            for k in keys:
                family.add_metric(list(k), per_key[k])
        for sop_id in sorted({k[0] for k in keys}):
            starts = [v.started_at for v in still_open if v.sop_id == sop_id]
            oldest.add_metric([sop_id], max(0.0, (now - min(starts)).total_seconds()) if starts else 0.0)
        for v in still_open:
            due.add_metric([v.case_id, *key_of(v)], v.due_at.timestamp())
        return iter(families)

    def _calendar_in_use(self) -> Any:
        return self._calendar or getattr(self.store, "calendar", None)

    @staticmethod
    def _families(standard_values: dict[Key, float]) -> list[Metric]:
        families: list[Metric] = [
            HistogramMetricFamily("sop_step_working_duration_seconds",
                                  "Working time used by completed step visits, paused time excluded", labels=STEP),
            GaugeMetricFamily("sop_step_standard_seconds",
                              "A step's standard time in working seconds, for a step started now", labels=STEP),
            CounterMetricFamily("sop_step_completions",
                                "Step visits completed, by whether within their standard time",
                                labels=[*STEP, "timeliness"]),
            GaugeMetricFamily("sop_open_steps", "Step visits currently open (started, not completed)", labels=STEP),
            GaugeMetricFamily("sop_steps_at_risk", "Open step visits past the at-risk share, not yet breached",
                              labels=STEP),
            GaugeMetricFamily("sop_steps_breached", "Open step visits past their standard time", labels=STEP),
            CounterMetricFamily("sop_sla_breaches", "Step visits that ran past their standard time, open or closed",
                                labels=STEP),
            GaugeMetricFamily("sop_oldest_open_step_age_seconds",
                              "Wall-clock age of the SOP's oldest open step visit; 0 when none is open",
                              labels=["sop_id"]),
            GaugeMetricFamily("sop_step_due_timestamp_seconds",
                              "When an open step visit's standard time runs out (Unix seconds); one series per visit",
                              labels=["case_id", *STEP]),
        ]
        for k, seconds in sorted(standard_values.items()):
            families[1].add_metric(list(k), seconds)
        return families


def library_steps(library: Any) -> list[tuple[Key, Any]]:
    """(labels, standard time) of every step of every SOP version; the latest version's standard wins."""
    found: dict[Key, Any] = {}
    for sop in library.all():  # in (id, version) order
        for step in sop.steps:
            found[(sop.id, str(step.number), step.role)] = step.standard_time
    return sorted(found.items())


def standards(steps: list[tuple[Key, Any]], visits: Iterable[Visit], calendar: Any, now: datetime) -> dict[Key, float]:
    """The library's standards measured from `now`; a step the library lacks keeps its latest visit's."""
    values = {key_of(v): v.standard_seconds for v in sorted(visits, key=lambda v: v.started_at)}
    if calendar is not None:
        values |= {k: standard_seconds(calendar, now, standard) for k, standard in steps}
    return values


def buckets(durations: list[float]) -> list[tuple[str, float]]:
    """Cumulative counts per upper bound, +Inf last, as HistogramMetricFamily takes them."""
    cumulative = [(str(float(bound)), float(sum(d <= bound for d in durations))) for bound in BUCKETS]
    return cumulative + [("+Inf", float(len(durations)))]
