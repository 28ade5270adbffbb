"""What the SLA collector needs of the visits, gathered in one pass over them, one visit at a time.

A scrape used to hold every visit the read model has ever had (open and completed) as a list, and walk it
a few times: with 100,000 cases in the store that was tens of MiB built and dropped every 15 s. What the
gauges show are counts, minima and the latest standard per step, so nothing needs more than one visit at once.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from services.sla.metrics_tally import Key, key_of
from services.sla.visits import Visit


@dataclass
class VisitFigures:
    keys: set[Key] = field(default_factory=set)
    latest_standard: dict[Key, tuple[datetime, float]] = field(default_factory=dict)  # (started_at, seconds)
    judged: Counter[tuple[Key, str]] = field(default_factory=Counter)  # completed visits by timeliness now
    opened: Counter[Key] = field(default_factory=Counter)
    at_risk: Counter[Key] = field(default_factory=Counter)  # open, past the at-risk share, not breached
    breached: Counter[Key] = field(default_factory=Counter)  # open, past the standard
    oldest_start: dict[str, datetime] = field(default_factory=dict)  # per SOP, of its open visits
    next_due: dict[Key, float] = field(default_factory=dict)  # per step, of open visits whose clock runs

    def passing(self, visits: Iterable[Visit]) -> Iterator[Visit]:
        """Yields each visit after counting it: the collector's tally reads the same single pass."""
        for v in visits:
            self.see(v)
            yield v

    def see(self, v: Visit) -> None:
        k = key_of(v)
        self.keys.add(k)
        latest = self.latest_standard.get(k)
        if latest is None or v.started_at >= latest[0]:  # the latest started visit's standard, as sorted before
            self.latest_standard[k] = (v.started_at, v.standard_seconds)
        if v.on_time is not None:
            self.judged[(k, "on_time" if v.on_time else "late")] += 1
        if not v.is_open:
            return
        self.opened[k] += 1
        if v.breached_at is not None:
            self.breached[k] += 1
        elif v.at_risk_at is not None:
            self.at_risk[k] += 1
        if v.sop_id not in self.oldest_start or v.started_at < self.oldest_start[v.sop_id]:
            self.oldest_start[v.sop_id] = v.started_at
        if v.paused_since is None:  # a paused case's due time is a lower bound that does not come nearer
            self.next_due[k] = min(self.next_due.get(k, float("inf")), v.due_at.timestamp())
