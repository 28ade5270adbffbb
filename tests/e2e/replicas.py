"""Two processes of every service on one store, and a client that spreads its requests over both
gateways as a load balancer would (round robin, per request)."""
from __future__ import annotations

import itertools
import subprocess
import sys
import threading

import httpx

from system.launcher import SERVICES, System
from tests.support import free_port


def start_replicas(system: System, timeout_s: float = 60, number: int = 2) -> list[str]:
    """One more process of each service, same settings, own port: `<name>-<number>` in `system.processes`."""
    names = []
    for name, attr in SERVICES.items():
        port, extra = free_port(), f"{name}-{number}"
        system.processes[extra] = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}.main"], env=system.env | {f"SOP_{attr.upper()}": str(port)},
            stdout=subprocess.DEVNULL)
        system.ports[extra] = port
        names.append(extra)
    system.wait_healthy(timeout_s, names)
    return names


class RoundRobin(httpx.BaseTransport):
    """Sends each request to the next of `ports` on 127.0.0.1: what a balancer in front of two replicas does."""

    def __init__(self, ports: list[int]):
        self.ports, self.turn, self.lock = ports, itertools.cycle(range(len(ports))), threading.Lock()
        self.inner = httpx.HTTPTransport()
        self.sent = [0] * len(ports)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            n = next(self.turn)
            self.sent[n] += 1
        request.url = request.url.copy_with(port=self.ports[n])
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def balanced_client(system: System, transport: RoundRobin) -> httpx.Client:
    return httpx.Client(base_url=system.url("intake"), transport=transport, timeout=30)
