"""Counters over the SLA read model that only ever rise, as Prometheus takes a counter.

A visit's timeliness and working time are judgements of the working calendar in force: a recompute
with a holiday decreed late can turn a late completion into an on-time one. Counting the table's
rows afresh at each scrape would then make a counter fall, which Prometheus reads as a reset. So
each completed visit, and each breach, is counted once, the first time this process sees it, with
the figures it had then; later recomputes move the gauges of metrics.py, never these. A restart
counts the table again under the calendar of that moment: a new process, a new counter.
"""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable

from services.sla.visits import Visit

Key = tuple[str, str, str]  # (sop_id, step, role)
# Working seconds. 0 holds visits done outside working hours (no working time used); then the
# SOPs' standards and their multiples: 1 and 5 min, ¼, ½, ¾, 1, 1½, 2, 4 jam, 1, 2, 3, 5, 10 hari of 7½ h.
BUCKETS = (0, 60, 300, 900, 1800, 2700, 3600, 5400, 7200, 14400, 27000, 54000, 81000, 135000, 270000)


def key_of(visit: Visit) -> Key:
    return visit.sop_id, str(visit.step), visit.role


class Tally:
    """Completions by timeliness, their working time as histogram buckets, and breaches: each visit
    counted once. Safe for scrapes that run at the same time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._completed: set[tuple[str, int]] = set()
        self._breached: set[tuple[str, int]] = set()
        self.completions: Counter[tuple[Key, str]] = Counter()
        self.breaches: Counter[Key] = Counter()
        self.bucket_counts: dict[Key, list[int]] = {}  # per bound of BUCKETS, not cumulative
        self.sums: Counter[Key] = Counter()

    def see(self, visits: Iterable[Visit]) -> None:
        with self._lock:
            for v in visits:
                ident = (v.case_id, v.visit)
                if v.breached_at is not None and ident not in self._breached:
                    self._breached.add(ident)
                    self.breaches[key_of(v)] += 1
                if v.is_open or v.on_time is None or ident in self._completed:
                    continue
                self._completed.add(ident)
                self.completions[(key_of(v), "on_time" if v.on_time else "late")] += 1
                self._observe(key_of(v), v.working_seconds or 0.0)

    def _observe(self, key: Key, seconds: float) -> None:
        counts = self.bucket_counts.setdefault(key, [0] * (len(BUCKETS) + 1))
        counts[next((n for n, bound in enumerate(BUCKETS) if seconds <= bound), len(BUCKETS))] += 1
        self.sums[key] += seconds

    def histogram(self, key: Key) -> tuple[list[tuple[str, float]], float]:
        """Cumulative counts per upper bound, +Inf last, and the sum, as HistogramMetricFamily takes them."""
        with self._lock:
            counts = self.bucket_counts.get(key, [0] * (len(BUCKETS) + 1))
            total, cumulative = 0, []
            for bound, n in zip([*map(str, map(float, BUCKETS)), "+Inf"], counts, strict=True):
                total += n
                cumulative.append((bound, float(total)))
            return cumulative, self.sums[key]
