"""deploy/compose.yaml as Docker Compose reads it: `docker-compose config` (Debian's 1.29.2: interpolation,
merge keys, references to volumes and secrets) and the current Compose Specification schema
(check-jsonschema's vendored compose-spec); then what it says against the code: settings that exist,
the gateway's URLs, the health checks' ports, replicas, and every file it mounts."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from tests.unit.deploy_support import (COMPOSE_ENV, DEPLOY, FOREIGN_ENV, SERVICES, compose_config, default_port,
                                       known_settings, resolved_compose)

# With every store in PostgreSQL, every service runs in replicas (tests/e2e/test_replicas.py).
REPLICAS = {"intake": 2, "routing": 2, "documents": 2, "sla": 2}


def binds(service: dict) -> dict[str, str]:
    """Its bind mounts, target: source (`config` writes them short, `/abs/source:target:mode`)."""
    parts = [str(v).split(":") for v in service.get("volumes", [])]
    return {p[1]: p[0] for p in parts if p[0].startswith("/")}


def test_docker_compose_config_resolves_the_file_and_every_part_is_there():
    services = resolved_compose()["services"]
    assert set(services) == {*SERVICES, "postgres", "redis", "proxy", "prometheus", "alertmanager", "grafana"}
    assert {name: services[name]["deploy"]["replicas"] for name in SERVICES} == REPLICAS


def test_docker_compose_config_refuses_to_resolve_without_the_passwords():
    done = compose_config({})
    assert done.returncode != 0
    assert "SOP_POSTGRES_PASSWORD" in done.stderr


def test_the_compose_specification_schema_accepts_the_file():
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec",
                           str(DEPLOY / "compose.yaml")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_variable_given_to_a_service_is_a_setting_the_code_reads():
    services = resolved_compose()["services"]
    for name in SERVICES:
        env = services[name]["environment"]
        unknown = {k for k in env if k not in known_settings()} - FOREIGN_ENV
        assert unknown == set(), name
        assert env["SOP_PERSISTENCE"] == "postgres" and env["SOP_HOST"] == "0.0.0.0"
        assert env["SOP_POSTGRES_PASSWORD"] == COMPOSE_ENV["SOP_POSTGRES_PASSWORD"]  # interpolated
    assert services["intake"]["environment"]["SOP_CREDENTIALS_FILE"] == "/run/secrets/sop-credentials"
    assert services["intake"]["secrets"][0]["source"] == "sop-credentials"


def test_the_gateway_finds_sla_and_documents_at_their_compose_names_and_ports():
    env = resolved_compose()["services"]["intake"]["environment"]
    for service in ("sla", "documents"):
        url = urlsplit(env[f"SOP_{service.upper()}_URL"])
        assert (url.hostname, url.port) == (service, default_port(service))
    assert urlsplit(env["SOP_REDIS_URL"]).hostname == "redis" and env["SOP_POSTGRES_HOST"] == "postgres"


def test_each_service_runs_its_own_entry_point_and_its_health_check_asks_its_own_port():
    services = resolved_compose()["services"]
    for name in SERVICES:
        assert services[name]["command"] == ["python", "-m", f"services.{name}.main"]
        probe = " ".join(services[name]["healthcheck"]["test"])
        assert f"http://127.0.0.1:{default_port(name)}/health/ready'" in probe, name  # 503 fails the check
        assert "ports" not in services[name], f"{name} is reached through the proxy or the network only"


def test_only_the_proxy_faces_the_public_and_it_forwards_to_intake():
    services = resolved_compose()["services"]
    public = {name for name, s in services.items() if any(not str(p).startswith("127.") for p in s.get("ports", []))}
    assert public == {"proxy"}
    nginx = (DEPLOY / "nginx" / "nginx.conf").read_text()
    assert f"set $intake http://intake:{default_port('intake')};" in nginx and "proxy_pass $intake;" in nginx
    assert services["intake"]["environment"]["FORWARDED_ALLOW_IPS"] == "*"


def test_every_file_it_mounts_is_in_the_repository():
    for name, service in resolved_compose()["services"].items():
        for source in binds(service).values():
            assert source.startswith(f"{DEPLOY}/") and (DEPLOY / source).exists(), (name, source)


def test_prometheus_scrapes_every_replica_of_each_service_and_grafana_finds_it_and_the_dashboard():
    prometheus = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    targets = {job["job_name"]: job["dns_sd_configs"][0] for job in prometheus["scrape_configs"]}
    assert {name: (sd["names"], sd["type"], sd["port"]) for name, sd in targets.items()} == {
        name: ([name], "A", default_port(name)) for name in SERVICES}
    provisioning = DEPLOY / "grafana" / "provisioning"
    source = yaml.safe_load((provisioning / "datasources" / "prometheus.yaml").read_text())["datasources"][0]
    assert urlsplit(source["url"]).hostname == "prometheus"
    dashboards = yaml.safe_load((provisioning / "dashboards" / "sop.yaml").read_text())["providers"][0]
    mounts = binds(resolved_compose()["services"]["grafana"])
    assert sorted(Path(mounts[dashboards["options"]["path"]]).glob("*.json"))
    assert mounts["/etc/grafana/provisioning/dashboards"] == str(provisioning / "dashboards")
