"""Prometheus view of the SLA read model, read from the table at each scrape.

A custom collector rather than gauges set on every event: the table is the one
truth, so the metrics are right after a restart or a rebuild without replaying
anything into the registry.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily, Metric

from services.sla.projection import SlaStore

DUE = ("sop_step_due_timestamp_seconds",
       "When an open step's standard time runs out, in working time (Unix seconds); one series per open step")
OPEN = ("sop_open_steps", "Steps currently open (started, not yet completed)")
# A gauge, not a counter: it is a count of rows, recomputed on every scrape, and starts again
# from what the store holds when the read model is rebuilt.
COMPLETED = ("sop_steps_completed",
             "Step visits completed so far, by whether they finished within their standard time")


class SlaCollector:
    """A prometheus_client collector (it has `collect`) over the SLA read model."""

    def __init__(self, store: SlaStore):
        self.store = store

    def describe(self) -> Iterator[Metric]:
        # Names only, so registering never touches the database.
        yield GaugeMetricFamily(*DUE, labels=["case_id", "sop_id", "step", "role"])
        yield GaugeMetricFamily(*OPEN, labels=["sop_id", "step", "role"])
        yield GaugeMetricFamily(*COMPLETED, labels=["sop_id", "step", "role", "on_time"])

    def collect(self) -> Iterator[Metric]:
        due = GaugeMetricFamily(*DUE, labels=["case_id", "sop_id", "step", "role"])
        open_counts: dict[tuple[str, str, str], int] = {}
        for row in self.store.open_steps():
            where = (row["sop_id"], str(row["step"]), row["role"])
            due.add_metric([row["case_id"], *where], datetime.fromisoformat(row["due_at"]).timestamp())
            open_counts[where] = open_counts.get(where, 0) + 1
        yield due

        opened = GaugeMetricFamily(*OPEN, labels=["sop_id", "step", "role"])
        for where, count in sorted(open_counts.items()):
            opened.add_metric(list(where), count)
        yield opened

        completed = GaugeMetricFamily(*COMPLETED, labels=["sop_id", "step", "role", "on_time"])
        for row in self.store.completed_counts():
            on_time = "true" if row["on_time"] else "false"
            completed.add_metric([row["sop_id"], str(row["step"]), row["role"], on_time], row["n"])
        yield completed
