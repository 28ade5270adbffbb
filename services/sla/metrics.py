"""Prometheus view of the SLA read model, read from the table at each scrape (docs/metrics.md).

A custom collector rather than metrics updated on every event: the table is the one truth, so
the gauges are right after a restart, a rebuild or a recompute without replaying anything into the
registry. Counters go through a Tally (metrics_tally.py), so they only ever rise. Every (SOP, step,
role) of the SOP library gets its series at zero, so dashboards show data before the first case;
no series carries a case id, so the number of series stays that of the SOP library.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Protocol

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric

from services.sla.clocks import CaseClock, standard_seconds
from services.sla.metrics_deadline import STATES, deadline_counts, statutory_sops
from services.sla.metrics_pass import VisitFigures
from services.sla.metrics_tally import BUCKETS, Key, Tally
from services.sla.visits import Visit
from shared.clock import Clock, SystemClock

__all__ = ["BUCKETS", "SlaCollector"]
STEP = ["sop_id", "step", "role"]


class VisitSource(Protocol):
    def visits(self) -> list[Visit]: ...


class SlaCollector:
    """A prometheus_client collector over `store.visits()` (and `store.open_case_clocks()` where the store
    has it). The SOP library and the working calendar default to the store's own (`SlaStore.library`,
    `SlaStore.calendar`, read at each scrape, so a recomputed calendar is picked up); `clock` gives the
    instant ages and deadlines are measured to."""

    def __init__(self, store: VisitSource, clock: Clock | None = None, library: Any = None, calendar: Any = None):
        self.store, self.clock = store, clock or SystemClock()
        self._library, self._calendar = library, calendar
        self.tally = Tally()

    def describe(self) -> Iterator[Metric]:
        return iter(families())  # names only, so registering never touches the database

    def collect(self) -> Iterator[Metric]:
        now, seen = self.clock.now(), VisitFigures()
        self.tally.see(seen.passing(self._visits()))  # one pass: the tally and the gauges' figures together
        library = self._library or getattr(self.store, "library", None)
        calendar = self._calendar or getattr(self.store, "calendar", None)
        steps = library_steps(library) if library is not None else []
        keys = sorted({k for k, _ in steps} | seen.keys)
        (histogram, standard, completions, completed, opened, at_risk, breached, breaches, oldest, next_due,
         statutory) = found = families()
        for k, seconds in sorted(standards(steps, seen, calendar, now).items()):
            standard.add_metric(list(k), seconds)
        for k in keys:
            histogram.add_metric(list(k), *self.tally.histogram(k))
            breaches.add_metric(list(k), self.tally.breaches[k])
            for timeliness in ("on_time", "late"):
                completions.add_metric([*k, timeliness], self.tally.completions[(k, timeliness)])
                completed.add_metric([*k, timeliness], seen.judged[(k, timeliness)])
        for family, per_key in ((opened, seen.opened), (at_risk, seen.at_risk), (breached, seen.breached)):
            for k in keys:
                family.add_metric(list(k), per_key[k])
        for sop_id in sorted({k[0] for k in keys}):
            start = seen.oldest_start.get(sop_id)
            oldest.add_metric([sop_id], max(0.0, (now - start).total_seconds()) if start else 0.0)
        for k, at in sorted(seen.next_due.items()):
            next_due.add_metric(list(k), at)
        counts = deadline_counts(self._open_clocks(), calendar, now) if calendar is not None else Counter()
        for sop_id in sorted(set(statutory_sops(library)) | {s for s, _ in counts}):
            for state in STATES:
                statutory.add_metric([sop_id, state], counts[(sop_id, state)])
        return iter(found)

    def _visits(self) -> Iterable[Visit]:
        """One at a time where the store can (SlaStore.each_visit), else its list."""
        each = getattr(self.store, "each_visit", None)
        return each() if each else self.store.visits()

    def _open_clocks(self) -> Iterable[CaseClock]:
        read = getattr(self.store, "each_open_case_clock", None) or getattr(self.store, "open_case_clocks", None)
        return read() if read else []


def families() -> list[Metric]:
    return [
        HistogramMetricFamily("sop_step_working_duration_seconds",
                              "Working time used by completed step visits, paused time excluded", labels=STEP),
        GaugeMetricFamily("sop_step_standard_seconds",
                          "A step's standard time in working seconds, for a step started now", labels=STEP),
        CounterMetricFamily("sop_step_completions", "Step visits completed, by whether within their standard "
                            "time as judged when first counted", labels=[*STEP, "timeliness"]),
        GaugeMetricFamily("sop_step_completed_visits", "Step visits completed so far, by whether within their "
                          "standard time under the working calendar in force", labels=[*STEP, "timeliness"]),
        GaugeMetricFamily("sop_open_steps", "Step visits currently open (started, not completed)", labels=STEP),
        GaugeMetricFamily("sop_steps_at_risk", "Open step visits past the at-risk share, not yet breached",
                          labels=STEP),
        GaugeMetricFamily("sop_steps_breached", "Open step visits past their standard time", labels=STEP),
        CounterMetricFamily("sop_sla_breaches", "Step visits the SLA monitor recorded as breached, open or closed",
                            labels=STEP),
        GaugeMetricFamily("sop_oldest_open_step_age_seconds",
                          "Wall-clock age of the SOP's oldest open step visit; 0 when none is open", labels=["sop_id"]),
        GaugeMetricFamily("sop_step_next_due_timestamp_seconds", "When the first running open visit of the step "
                          "runs out of its standard time (Unix seconds); absent when none runs", labels=STEP),
        GaugeMetricFamily("sop_statutory_deadline_open_cases", "Open cases by where they stand against their "
                          "statutory deadline (UU 14/2008)", labels=["sop_id", "deadline"]),
    ]


def library_steps(library: Any) -> list[tuple[Key, Any]]:
    """(labels, standard time) of every step of every SOP version; the latest version's standard wins."""
    found: dict[Key, Any] = {}
    for sop in library.all():  # in (id, version) order
        for step in sop.steps:
            found[(sop.id, str(step.number), step.role)] = step.standard_time
    return sorted(found.items())


def standards(steps: list[tuple[Key, Any]], seen: VisitFigures, calendar: Any, now: datetime) -> dict[Key, float]:
    """The library's standards measured from `now`; a step the library lacks keeps its latest visit's."""
    values = {k: seconds for k, (_, seconds) in seen.latest_standard.items()}
    if calendar is not None:
        values |= {k: standard_seconds(calendar, now, standard) for k, standard in steps}
    return values
