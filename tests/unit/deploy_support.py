"""What the deployment tests compare the manifests with: the settings the code reads, and the tools that
check the files (Debian's docker-compose for `config`, check-jsonschema and kubernetes-validate from
requirements.lock)."""
from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import yaml
from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
SERVICES = ("intake", "routing", "documents", "sla")
# Not a setting of ours: uvicorn's list of peers whose X-Forwarded-For it believes (the proxy's).
FOREIGN_ENV = {"FORWARDED_ALLOW_IPS"}
# Passwords the compose file requires (`${VAR:?}`); any value resolves it.
COMPOSE_ENV = {"SOP_POSTGRES_PASSWORD": "test-only", "GRAFANA_ADMIN_PASSWORD": "test-only"}
ENVIRON_READ = re.compile(r"""(?:environ\.get|environ\[|getenv)\(?\s*["'](SOP_[A-Z0-9_]+)["']""")


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found | {c for sub in found for c in _subclasses(sub)}


@cache
def known_settings() -> frozenset[str]:
    """Every SOP_ variable the code reads: each BaseSettings class's prefix plus its fields (their modules
    imported first), and each one read straight from os.environ."""
    names: set[str] = set()
    for path in sorted([*(ROOT / "shared").rglob("*.py"), *(ROOT / "services").rglob("*.py")]):
        text = path.read_text(encoding="utf-8")
        names |= set(ENVIRON_READ.findall(text))
        if "BaseSettings" in text:
            importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    for cls in _subclasses(BaseSettings):
        prefix = cls.model_config.get("env_prefix", "")
        if prefix.startswith("SOP_") and cls.__module__.split(".")[0] in ("shared", "services"):
            names |= {f"{prefix}{field}".upper() for field in cls.model_fields}
    return frozenset(names)


def default_port(service: str) -> int:
    from shared.settings import Settings
    return Settings.model_fields[f"{service}_port"].default


def docker_compose() -> str:
    found = shutil.which("docker-compose")
    assert found, "docker-compose is missing: `make deploy-tools` installs Debian's (apt-get install docker-compose)"
    return found


def compose_config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`docker-compose config` of deploy/compose.yaml with only `env` (and PATH) in its environment."""
    # An empty --env-file: a deploy/.env of this checkout (real passwords) plays no part in the test.
    with tempfile.NamedTemporaryFile(suffix=".env") as empty:
        return subprocess.run([docker_compose(), "--env-file", empty.name, "--project-directory", str(DEPLOY),
                               "-f", str(DEPLOY / "compose.yaml"), "config"], capture_output=True, text=True,
                              timeout=120, env={"PATH": "/usr/bin:/bin", **env})


@cache
def resolved_compose() -> dict:
    done = compose_config(COMPOSE_ENV)
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def kubernetes_documents(name: str) -> list[dict]:
    return [d for d in yaml.safe_load_all((KUBERNETES / name).read_text(encoding="utf-8")) if d]


def kubernetes_objects() -> list[dict]:
    return [doc for path in sorted(KUBERNETES.glob("*.yaml")) if path.name != "kustomization.yaml"
            for doc in kubernetes_documents(path.name)]


def of_kind(kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in kubernetes_objects() if o["kind"] == kind}


def container(deployment: dict) -> dict:
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


def kubernetes_env(service: str) -> dict[str, str | None]:
    """The variables a service's container gets: sop-config, sop-secrets (the example's keys), its own env."""
    config, secrets = of_kind("ConfigMap")["sop-config"], of_kind("Secret")["sop-secrets"]
    own = {e["name"]: e.get("value") for e in container(of_kind("Deployment")[service]).get("env", [])}
    return {**config["data"], **dict.fromkeys(secrets["stringData"]), **own}
