"""deploy/kubernetes/ against the Kubernetes 1.32 OpenAPI schemas (kubernetes-validate, strict: an unknown or
misspelt field fails), then against the code and deploy/compose.yaml: probes on /health/live and /health/ready at each service's
port, resources, budgets that select their Deployment's pods, settings that exist and match compose."""
from __future__ import annotations

import kubernetes_validate
import pytest
import yaml

from tests.unit.deploy_support import (FOREIGN_ENV, KUBERNETES, SERVICES, container, default_port, known_settings,
                                       kubernetes_env, kubernetes_objects, of_kind, resolved_compose)

KUBERNETES_VERSION = "1.32.0"
# Values that differ between one Docker host and a cluster by nature: the public address and the secrets.
PER_PLACE = {"SOP_PUBLIC_URL", "SOP_POSTGRES_PASSWORD", "SOP_CREDENTIALS_FILE"}


@pytest.mark.parametrize("obj", kubernetes_objects(), ids=lambda o: f"{o['kind']}/{o['metadata']['name']}")
def test_every_object_is_valid_against_the_kubernetes_schemas(obj):
    kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def test_a_misspelt_field_is_refused():  # the check above would catch what it is there for
    broken = yaml.safe_load(yaml.safe_dump(of_kind("Deployment")["intake"]))
    container(broken)["readinesProbe"] = container(broken).pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_the_kustomization_applies_every_manifest_but_the_secrets_example():
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    files = {p.name for p in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml", "secrets.example.yaml"}
    assert sorted(kustomization["resources"]) == sorted(files)
    assert {i["name"] for i in kustomization["images"]} == {container(d)["image"] for d in of_kind("Deployment").values()}


PROBES = {"startupProbe": "/health/live", "readinessProbe": "/health/ready", "livenessProbe": "/health/live"}


def test_each_service_runs_its_entry_point_with_probes_on_health_at_its_port_and_resources():
    deployments = of_kind("Deployment")
    assert set(deployments) == set(SERVICES)
    for name, deployment in deployments.items():
        box = container(deployment)
        assert box["command"] == ["python", "-m", f"services.{name}.main"]
        assert {p["name"]: p["containerPort"] for p in box["ports"]} == {"http": default_port(name)}
        for probe, path in PROBES.items():
            assert box[probe]["httpGet"] == {"path": path, "port": "http"}, (name, probe)
            assert box[probe].get("timeoutSeconds", 1) <= 5, (name, probe)  # documents renders off the loop
        assert set(box["resources"]["requests"]) == set(box["resources"]["limits"]) == {"cpu", "memory"}, name
        assert {"configMapRef": {"name": "sop-config"}} in box["envFrom"]
        assert {"secretRef": {"name": "sop-secrets"}} in box["envFrom"]


def test_replicas_are_those_of_the_compose_file_and_no_replica_keeps_state_on_a_volume():
    compose = resolved_compose()["services"]
    assert not of_kind("PersistentVolumeClaim")  # every store is in PostgreSQL: nothing to keep per pod
    for name, deployment in of_kind("Deployment").items():
        spec = deployment["spec"]
        assert spec["replicas"] == compose[name]["deploy"]["replicas"] >= 2, name
        assert spec.get("strategy", {}).get("type", "RollingUpdate") == "RollingUpdate", name
        volumes = {v["name"]: v for v in spec["template"]["spec"].get("volumes", [])}
        if "data" in volumes:  # SOP_DATA_DIR as scratch only
            assert volumes["data"] == {"name": "data", "emptyDir": {}}, name
        assert "volumes" not in compose[name] or not any("/var/lib/sop" in str(v) for v in compose[name]["volumes"]), name


def test_each_deployment_has_a_budget_that_selects_its_pods_and_lets_a_drain_proceed():
    budgets = of_kind("PodDisruptionBudget")
    for name, deployment in of_kind("Deployment").items():
        spec = deployment["spec"]
        pods = spec["template"]["metadata"]["labels"]
        assert spec["selector"]["matchLabels"].items() <= pods.items(), name
        matching = [b for b in budgets.values() if b["spec"]["selector"]["matchLabels"].items() <= pods.items()]
        assert len(matching) == 1, name
        budget = matching[0]["spec"]
        # A budget no eviction can meet would block every node drain.
        assert budget.get("minAvailable", 0) < spec["replicas"] or budget.get("maxUnavailable", 0) >= 1, name
    assert all(b["spec"]["minAvailable"] == 1 for b in of_kind("PodDisruptionBudget").values())


def test_services_and_the_ingress_reach_the_pods_they_name():
    deployments, services = of_kind("Deployment"), of_kind("Service")
    for name, service in services.items():
        pods = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= pods.items(), name
        assert service["spec"]["ports"] == [{"name": "http", "port": default_port(name), "targetPort": "http"}]
    (ingress,) = of_kind("Ingress").values()
    backends = {p["backend"]["service"]["name"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]}
    assert backends == {"intake"}
    env = kubernetes_env("intake")
    for called in ("sla", "documents"):
        assert env[f"SOP_{called.upper()}_URL"] == f"http://{called}:{default_port(called)}"
        assert called in services


def test_every_variable_is_a_setting_the_code_reads_and_the_same_as_in_compose():
    compose = resolved_compose()["services"]
    for name in SERVICES:
        env = kubernetes_env(name)
        assert set(env) - known_settings() - FOREIGN_ENV == set(), name
        assert set(env) == set(compose[name]["environment"]), name
        same = {k: v for k, v in env.items() if k not in PER_PLACE}
        assert same == {k: str(v) for k, v in compose[name]["environment"].items() if k in same}, name


def test_the_secrets_the_pods_mount_are_in_the_example():
    secrets = of_kind("Secret")
    credentials = kubernetes_env("intake")["SOP_CREDENTIALS_FILE"]
    mounted = {m["mountPath"]: m["name"] for m in container(of_kind("Deployment")["intake"])["volumeMounts"]}
    volumes = {v["name"]: v for v in of_kind("Deployment")["intake"]["spec"]["template"]["spec"]["volumes"]}
    folder, file = credentials.rsplit("/", 1)
    secret = secrets[volumes[mounted[folder]]["secret"]["secretName"]]
    assert "credentials:" in secret["stringData"][file]
