"""What the SLA service shows: Prometheus samples read from its table, and a case's visits over HTTP."""
from __future__ import annotations

import httpx
from prometheus_client import CollectorRegistry, generate_latest

from services.sla.bootstrap import bootstrap
from services.sla.metrics import SlaCollector
from shared.settings import Settings
from tests.unit.test_sla_projection import applied, local, sop_c_to_step_6


def test_the_collector_exports_due_times_open_steps_and_completions():
    log, messages = sop_c_to_step_6()
    registry = CollectorRegistry()
    registry.register(SlaCollector(applied(messages)))
    due = registry.get_sample_value("sop_step_due_timestamp_seconds",
                                    {"case_id": log.case_id, "sop_id": "sop-c", "step": "6", "role": "staf_data"})
    assert due == local("15:45", days=1).timestamp()
    assert registry.get_sample_value("sop_open_steps", {"sop_id": "sop-c", "step": "6", "role": "staf_data"}) == 1
    completed = {"sop_id": "sop-c", "step": "3", "role": "kepala_badan"}
    assert registry.get_sample_value("sop_steps_completed", completed | {"on_time": "false"}) == 1
    assert registry.get_sample_value("sop_steps_completed", completed | {"on_time": "true"}) is None
    assert registry.get_sample_value("sop_steps_completed",
                                     {"sop_id": "sop-c", "step": "1", "role": "pemohon", "on_time": "true"}) == 1
    text = generate_latest(registry).decode()
    assert "# HELP sop_open_steps Steps currently open" in text
    assert "# TYPE sop_step_due_timestamp_seconds gauge" in text


async def test_the_service_answers_a_cases_sla_and_its_metrics():
    service = bootstrap(Settings(persistence="memory"))
    log, messages = sop_c_to_step_6()
    for message in messages:
        service.store.apply(message)
    transport = httpx.ASGITransport(app=service.http)  # no lifespan: nothing touches Redis
    async with httpx.AsyncClient(transport=transport, base_url="http://sla") as client:
        rows = (await client.get(f"/cases/{log.case_id}/sla")).json()["visits"]
        metrics = (await client.get("/metrics")).text
    assert [(r["step"], r["on_time"]) for r in rows] == [(1, True), (2, True), (3, False), (4, True), (5, False),
                                                          (6, None)]
    assert f'sop_step_due_timestamp_seconds{{case_id="{log.case_id}"' in metrics
    assert 'sop_open_steps{role="staf_data",sop_id="sop-c",step="6"} 1.0' in metrics
