"""Every PromQL expression of the Grafana dashboard returns data from a real Prometheus scraping the
whole system after the demo scenarios and one overdue request have run through it; the same Prometheus
evaluates the shipped alerting and recording rules without error, and the overdue step raises its alert."""
from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from system.demo import Scenario, left_open_too_long, run_scenario, scenarios
from system.demo_documents import CLERK, expected_kinds, settled_documents
from shared.sop.loader import SopLibrary
from tests.support import private_system
from tests.integration.prometheus_support import (
    DATASOURCES, Prometheus, concrete, dashboard, has_data, panel_queries, prometheus_binary,
    scrape_config, variable_queries,
)

pytestmark = pytest.mark.integration

LIBRARY = SopLibrary.from_directory()
OVERDUE_DAYS = 14  # submitted two weeks ago, whatever the holidays: its step 2 (0,5 jam) ran out long since


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    # A request dated two weeks back lies beyond the default back-dating window (7 days).
    with private_system("test-dashboard", tmp_path_factory.mktemp("data"), SOP_MAX_BACKDATE_DAYS="30") as running:
        yield running


@contextlib.contextmanager
def prometheus_scraping(binary: str, ports: dict[str, int], workdir: Path) -> Iterator[Prometheus]:
    server = Prometheus(binary, scrape_config(ports, workdir / "prometheus.yml"), workdir / "tsdb")
    try:
        server.wait_targets_up(set(ports))
        yield server
    finally:
        server.stop()


def run_cases(intake_url: str) -> str:
    """Every demo scenario, each case's documents downloaded (a document renders on its first download), then
    a SOP B request dated two weeks back and left open at step 2 until the SLA monitor has breached it and
    escalated it; returns its case id."""
    with httpx.Client(base_url=intake_url, timeout=15) as client:
        for n, scenario in enumerate(scenarios(), start=1):
            download_documents(client, run_scenario(client, scenario, n), scenario)
        return left_open_too_long(client, days_ago=OVERDUE_DAYS, timeout_s=30)["case_id"]


def download_documents(client: httpx.Client, case_id: str, scenario: Scenario) -> None:
    signed = any(step == 10 for step, _, _ in scenario.moves)
    for document in settled_documents(client, case_id, expected_kinds(LIBRARY, scenario), signed):
        client.get(document["download"], headers=CLERK).raise_for_status()


def test_every_dashboard_query_returns_data(request, tmp_path):
    binary = prometheus_binary()  # fails the test, before anything starts, when Prometheus is missing
    running = request.getfixturevalue("system")
    with prometheus_scraping(binary, running.ports, tmp_path) as prometheus:
        run_cases(running.url("intake"))  # after Prometheus started, so increase() and rate() see the change
        check_every_query(prometheus, lambda: fresh_activity(running.url("intake")))
        check_the_rules(prometheus)


def check_the_rules(prometheus: Prometheus) -> None:
    rules = prometheus.rules()
    assert {r["group"] for r in rules} == {"sop-sla", "sop-operasi", "sop-sla-records"}
    broken = [(r["name"], r.get("lastError")) for r in rules if r["health"] != "ok"]
    assert not broken, broken
    firing = {(a["metric"]["alertname"], a["metric"].get("sop_id")) for a in prometheus.query("ALERTS")}
    assert ("SopLangkahMelewatiStandar", "sop-b") in firing, firing  # the request left open at step 2
    assert not {name for name, _ in firing} & {"SopLayananMati", "SopDeadLetterAda"}, firing


def fresh_activity(intake_url: str) -> None:
    """One more case: the panels that show a rate over a short window (render time p95 over 15 s) need
    activity inside the window, and the breach wait may have outlasted it on a loaded machine."""
    with httpx.Client(base_url=intake_url, timeout=15) as client:
        download_documents(client, run_scenario(client, scenarios()[0], 990), scenarios()[0])


def check_every_query(prometheus: Prometheus, refresh=lambda: None) -> None:
    board = dashboard()
    sops = {"$sop": "|".join(LIBRARY.ids())}
    queries = [(title, concrete(expr, sops)) for title, expr in panel_queries(board)]
    assert len(queries) >= 25

    # A value changes within a tick and a scrape; wait for all queries together, then report every empty one.
    deadline, empty, refreshed = time.monotonic() + 60, queries, time.monotonic()
    while empty and time.monotonic() < deadline:
        empty = [(title, expr) for title, expr in empty if not has_data(prometheus.query(expr))]
        if empty and time.monotonic() - refreshed > 5:
            refresh()
            refreshed = time.monotonic()
        elif empty:
            time.sleep(1)
    assert not empty, "dashboard queries without data:\n" + "\n".join(f"- {t}: {e}" for t, e in empty)

    for name, metric, label in variable_queries(board):
        assert prometheus.label_values(metric, label), f"variable ${name}: no values of {label} on {metric}"


def test_every_panel_reads_the_provisioned_datasource():
    uid = yaml.safe_load(DATASOURCES.read_text())["datasources"][0]["uid"]
    board = dashboard()
    targets = [t for p in board["panels"] for t in p.get("targets", [])]
    assert board["schemaVersion"] >= 39 and targets
    for panel in (p for p in board["panels"] if p["type"] != "row"):
        assert panel["datasource"]["uid"] == uid, panel["title"]
    assert all(t["datasource"]["uid"] == uid for t in targets)
    assert all(v["datasource"]["uid"] == uid for v in board["templating"]["list"] if "datasource" in v)
