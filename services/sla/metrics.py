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
from services.sla.metrics_tally import BUCKETS, Key, Tally, key_of
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
        now, visits = self.clock.now(), self.store.visits()
        self.tally.see(visits)
        library = self._library or getattr(self.store, "library", None)
        calendar = self._calendar or getattr(self.store, "calendar", None)
        steps = library_steps(library) if library is not None else []
        keys = sorted({k for k, _ in steps} | {key_of(v) for v in visits})
        (histogram, standard, completions, completed, opened, at_risk, breached, breaches, oldest, next_due,
         statutory) = found = families()
        for k, seconds in sorted(standards(steps, visits, calendar, now).items()):
            standard.add_metric(list(k), seconds)
        judged = Counter((key_of(v), "on_time" if v.on_time else "late") for v in visits if v.on_time is not None)
        for k in keys:
            histogram.add_metric(list(k), *self.tally.histogram(k))
            breaches.add_metric(list(k), self.tally.breaches[k])
            for timeliness in ("on_time", "late"):
                completions.add_metric([*k, timeliness], self.tally.completions[(k, timeliness)])
                completed.add_metric([*k, timeliness], judged[(k, timeliness)])
        still_open = [v for v in visits if v.is_open]
        for family, chosen in ((opened, still_open),
                               (at_risk, [v for v in still_open if v.at_risk_at and v.breached_at is None]),
                               (breached, [v for v in still_open if v.breached_at is not None])):
            per_key = Counter(key_of(v) for v in chosen)
            for k in keys:
                family.add_metric(list(k), per_key[k])
        for sop_id in sorted({k[0] for k in keys}):
            starts = [v.started_at for v in still_open if v.sop_id == sop_id]
            oldest.add_metric([sop_id], max(0.0, (now - min(starts)).total_seconds()) if starts else 0.0)
        for k, at in sorted(earliest_due(still_open).items()):
            next_due.add_metric(list(k), at)
        counts = deadline_counts(self._open_clocks(), calendar, now) if calendar is not None else Counter()
        for sop_id in sorted(set(statutory_sops(library)) | {s for s, _ in counts}):
            for state in STATES:
                statutory.add_metric([sop_id, state], counts[(sop_id, state)])
        return iter(found)

    def _open_clocks(self) -> list[CaseClock]:
        read = getattr(self.store, "open_case_clocks", None)
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


def earliest_due(still_open: Iterable[Visit]) -> dict[Key, float]:
    """The first due time per step among open visits whose clock runs (a paused case's due time is a
    lower bound that does not come nearer)."""
    found: dict[Key, float] = {}
    for v in still_open:
        if v.paused_since is None:
            found[key_of(v)] = min(found.get(key_of(v), float("inf")), v.due_at.timestamp())
    return found


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
