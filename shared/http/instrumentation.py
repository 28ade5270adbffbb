"""What every service reports about itself on /metrics beside its domain: HTTP requests per route
template (prometheus-fastapi-instrumentator), its process (CPU, memory, open files) and its build."""
from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Gauge, ProcessCollector
from prometheus_fastapi_instrumentator import Instrumentator
from prometheus_fastapi_instrumentator import metrics as http_metrics

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTION = "sop-case-backend"
# Seconds; from a cached read (a few ms) to a rendered PDF or a wait for a read model (seconds).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


def instrument(app: FastAPI, registry: CollectorRegistry, service: str) -> None:
    """Counts and times every request by route template (`handler`: `/cases/{case_id}`, never the id;
    a path no route matches is `none`), and registers the process and build collectors on `registry`."""
    instrumentator = Instrumentator(registry=registry, should_group_status_codes=True,
                                    should_group_untemplated=True)
    instrumentator.add(http_metrics.requests(registry=registry))
    instrumentator.add(http_metrics.latency(registry=registry, should_include_status=False,
                                            buckets=LATENCY_BUCKETS))
    instrumentator.instrument(app)
    ProcessCollector(registry=registry)
    info = Gauge("sop_build_info", "The running build: always 1, its labels say which",
                 ["service", "version", "commit", "python"], registry=registry)
    info.labels(service, version(), commit(), platform.python_version()).set(1)


def version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def commit(root: Path = ROOT) -> str:
    """SOP_GIT_COMMIT (set by the deployment), else the checkout's HEAD read from its files, else unknown."""
    if found := os.environ.get("SOP_GIT_COMMIT", "").strip():
        return found
    try:
        return head_commit(root / ".git") or "unknown"
    except OSError:
        return "unknown"


def head_commit(git: Path) -> str | None:
    if git.is_file():  # a worktree or submodule: "gitdir: <path>"
        git = (git.parent / git.read_text().split(":", 1)[1].strip()).resolve()
    head = (git / "HEAD").read_text().strip()
    if not head.startswith("ref: "):
        return head  # a detached HEAD is the commit itself
    ref = head[5:]
    common = (git / "commondir").read_text().strip() if (git / "commondir").exists() else "."
    for base in (git, (git / common).resolve()):
        if (base / ref).exists():
            return (base / ref).read_text().strip()
        packed = base / "packed-refs"
        if packed.exists():
            for line in packed.read_text().splitlines():
                if line.endswith(f" {ref}"):
                    return line.split()[0]
    return None
