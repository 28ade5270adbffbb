"""A real Prometheus (Debian's `prometheus` binary) scraping a running system, and the PromQL of the
Grafana dashboard made concrete so Prometheus's HTTP API can evaluate it."""
from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "grafana" / "dashboards" / "sop-sla.json"
SHIPPED_CONFIG = ROOT / "deploy" / "prometheus" / "prometheus.yml"
DATASOURCES = ROOT / "deploy" / "grafana" / "provisioning" / "datasources" / "prometheus.yaml"
# What Grafana would put in for its variables, sized for a run of a minute with a 1 s scrape interval.
GRAFANA_VARIABLES = {"$__rate_interval": "15s", "$__interval": "5s", "$__range": "10m"}
LABEL_VALUES = re.compile(r"label_values\((?P<metric>[^,]+),\s*(?P<label>\w+)\)")


def prometheus_binary() -> str:
    """The binary, or a failed test that says how to get it: skipping would hide an untested dashboard."""
    found = shutil.which("prometheus")
    if found is None:
        pytest.fail("`prometheus` is not on PATH: install Debian's prometheus package "
                    "(apt-get install -y --no-install-recommends prometheus); `make test` installs it")
    return found


def promtool_binary() -> str:
    """promtool ships with Debian's prometheus package; a failed test says so, as for the server."""
    found = shutil.which("promtool")
    if found is None:
        pytest.fail("`promtool` is not on PATH: install Debian's prometheus package "
                    "(apt-get install -y --no-install-recommends prometheus); `make test` installs it")
    return found


def check_metrics(exposition: str) -> str:
    """promtool's lint of one /metrics answer: an empty string when clean, its complaints otherwise."""
    done = subprocess.run([promtool_binary(), "check", "metrics"], input=exposition, capture_output=True,
                          text=True, timeout=30)
    return "" if done.returncode == 0 else (done.stdout + done.stderr).strip()


def scrape_config(ports: dict[str, int], path: Path) -> Path:
    """deploy/prometheus/prometheus.yml's jobs and rule files, pointed at the ports this run's services
    listen on; the rules are evaluated every second as well."""
    shipped = yaml.safe_load(SHIPPED_CONFIG.read_text())
    config = {"global": {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"},
              "rule_files": [str(SHIPPED_CONFIG.parent / name) for name in shipped["rule_files"]],
              "scrape_configs": [{"job_name": name, "static_configs": [{"targets": [f"127.0.0.1:{port}"]}]}
                                 for name, port in ports.items()]}
    path.write_text(yaml.safe_dump(config))
    return path


class Prometheus:
    def __init__(self, binary: str, config: Path, storage: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = storage.parent / "prometheus.log"
        self.process = subprocess.Popen(
            [binary, f"--config.file={config}", f"--storage.tsdb.path={storage}",
             f"--web.listen-address=127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=self.log.open("wb"))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def wait_targets_up(self, jobs: set[str], timeout_s: float = 30) -> None:
        deadline, health = time.monotonic() + timeout_s, {}
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"prometheus exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
            try:
                answer = httpx.get(f"{self.url}/api/v1/targets", timeout=2)
            except httpx.HTTPError:
                answer = None
            if answer is not None and answer.status_code == 200:  # 503 while its storage starts
                health = {t["labels"]["job"]: t["health"] for t in answer.json()["data"]["activeTargets"]}
                if set(health) == jobs and set(health.values()) == {"up"}:
                    return
            time.sleep(0.3)
        raise TimeoutError(f"prometheus targets not all up after {timeout_s:.0f} s: {health}")

    def query(self, expr: str) -> list[dict[str, Any]]:
        answer = httpx.get(f"{self.url}/api/v1/query", params={"query": expr}, timeout=10).json()
        if answer["status"] != "success":
            raise AssertionError(f"Prometheus refused {expr!r}: {answer.get('error')}")
        return answer["data"]["result"]

    def rules(self) -> list[dict[str, Any]]:
        """Every loaded rule with its group, health and last error."""
        answer = httpx.get(f"{self.url}/api/v1/rules", timeout=10).json()
        return [rule | {"group": group["name"]} for group in answer["data"]["groups"] for rule in group["rules"]]

    def label_values(self, metric: str, label: str) -> list[str]:
        answer = httpx.get(f"{self.url}/api/v1/label/{label}/values", params={"match[]": metric}, timeout=10).json()
        return answer["data"]


def has_data(result: list[dict[str, Any]]) -> bool:
    """At least one series with a number (Grafana shows a series of NaN as no data too)."""
    return any(not math.isnan(float(r["value"][1])) for r in result)


def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text())


def panel_queries(board: dict[str, Any]) -> list[tuple[str, str]]:
    """(panel title and refId, expr) of every target of every panel, rows' nested panels included."""
    panels = [p for top in board["panels"] for p in [top, *top.get("panels", [])]]
    return [(f"{p['title']} [{t['refId']}]", t["expr"]) for p in panels for t in p.get("targets", []) if t.get("expr")]


def variable_queries(board: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(variable, metric, label) of every `label_values(metric, label)` template variable."""
    found = []
    for variable in board["templating"]["list"]:
        query = variable["query"]["query"] if isinstance(variable["query"], dict) else variable["query"]
        match = LABEL_VALUES.fullmatch(query.strip())
        if match:
            found.append((variable["name"], match["metric"].strip(), match["label"]))
    return found


def concrete(expr: str, variables: dict[str, str]) -> str:
    """The expression as Grafana would send it; longest names first, so $__range is not taken for $__r…."""
    for name, value in sorted((GRAFANA_VARIABLES | variables).items(), key=lambda kv: -len(kv[0])):
        expr = expr.replace(name, value)
    leftover = re.findall(r"\$\w+", expr)
    assert not leftover, f"no concrete value for {leftover} in {expr!r}"
    return expr
