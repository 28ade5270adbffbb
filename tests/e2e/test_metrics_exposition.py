"""Every service's /metrics passes `promtool check metrics` (Prometheus's own lint: names, units, types,
help) after traffic, and carries its HTTP, process and build metrics."""
from __future__ import annotations

import httpx

from tests.integration.prometheus_support import check_metrics

SERVICES = ("intake", "routing", "documents", "sla")


def test_every_service_exposition_is_clean_for_promtool(api, system):
    api.get("/sops")  # at least one templated route and one that matches none
    api.get("/cases/not-a-route/at/all")
    for name in SERVICES:
        text = httpx.get(system.url(name) + "/metrics").text
        assert check_metrics(text) == "", f"{name}: {check_metrics(text)}"
        assert 'sop_build_info{commit="' in text and f'service="{name}"' in text, name
        assert "process_resident_memory_bytes " in text and "http_request_duration_seconds_bucket" in text, name
        assert "case_id=" not in text, name


def test_requests_are_counted_by_route_template_never_by_path(api, system):
    unknown = "/cases/00000000-0000-4000-8000-000000000000"
    assert api.get(unknown, headers={"Authorization": "Bearer demo-tu"}).status_code == 404
    text = httpx.get(system.url("intake") + "/metrics").text
    counted = [line for line in text.splitlines() if line.startswith("http_requests_total")]
    assert any(line.startswith('http_requests_total{handler="/cases/{case_id}",method="GET",status="4xx"}')
               for line in counted), counted
    assert 'handler="/sops"' in text and 'handler="none"' in text
    assert "00000000-0000-4000-8000-000000000000" not in text
