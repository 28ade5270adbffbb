"""The shipped alerting and recording rules: valid, loaded by the shipped prometheus.yml, each alert told in
Indonesian with a first step, and firing exactly where tests/prometheus/sop-alerts.test.yml says
(`promtool test rules`); the Alertmanager example routes every severity to a receiver it defines."""
from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from tests.integration.prometheus_support import promtool_binary

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = ROOT / "deploy" / "prometheus"
ALERTMANAGER = ROOT / "deploy" / "alertmanager" / "alertmanager.example.yml"
RULE_TESTS = ROOT / "tests" / "prometheus" / "sop-alerts.test.yml"


def promtool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([promtool_binary(), *map(str, args)], capture_output=True, text=True, timeout=60)


def alerts() -> list[dict]:
    return [rule for group in yaml.safe_load((PROMETHEUS / "rules" / "sop-alerts.yml").read_text())["groups"]
            for rule in group["rules"]]


def test_the_shipped_config_loads_every_rule_file_and_promtool_accepts_it():
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    assert sorted(config["rule_files"]) == sorted(f"rules/{p.name}" for p in (PROMETHEUS / "rules").glob("*.yml"))
    done = promtool("check", "config", PROMETHEUS / "prometheus.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_fires_where_the_rule_tests_say_and_nowhere_else():
    done = promtool("test", "rules", RULE_TESTS)
    assert done.returncode == 0, done.stdout + done.stderr
    tested = {case["alertname"] for test in yaml.safe_load(RULE_TESTS.read_text())["tests"]
              for case in test.get("alert_rule_test", []) if case.get("exp_alerts")}
    assert tested == {rule["alert"] for rule in alerts()}  # every alert is seen firing at least once


def test_every_alert_has_a_severity_an_indonesian_summary_description_and_runbook():
    words = ("berkas", "langkah", "layanan", "pesan", "relay", "kelompok", "tenggat", "permohonan")
    for rule in alerts():
        assert rule["labels"]["severity"] in {"info", "warning", "critical"}, rule["alert"]
        notes = rule["annotations"]
        assert {"summary", "description", "runbook"} <= set(notes), rule["alert"]
        text = " ".join(notes.values()).lower()
        assert any(word in text for word in words), rule["alert"]
        assert not any(english in f" {text} " for english in (" the ", " is ", " has ")), rule["alert"]


def test_the_alertmanager_example_routes_every_severity_to_a_defined_receiver():
    config = yaml.safe_load(ALERTMANAGER.read_text())
    receivers = {r["name"] for r in config["receivers"]}
    routes = [config["route"], *config["route"]["routes"]]
    assert {r["receiver"] for r in routes} <= receivers
    matched = " ".join(m for r in routes for m in r.get("matchers", []))
    for severity in {rule["labels"]["severity"] for rule in alerts()}:
        assert severity in matched, severity
    intervals = {i["name"] for i in config.get("time_intervals", [])}
    assert {name for r in routes for name in r.get("active_time_intervals", [])} <= intervals
