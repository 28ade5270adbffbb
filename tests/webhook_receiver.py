"""A portal's webhook receiver on loopback, written as the README tells a portal to write one: it checks
the signature, dedupes on the delivery id, and answers 2xx. It also misbehaves on purpose: the first attempt
of some deliveries gets a 500, of others an answer later than the sender waits (a timeout), so that what
arrives in the end shows the retries at work."""
from __future__ import annotations

import asyncio
import hashlib
import json
import sys
import threading
import time
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from services.intake.webhooks.signing import DELIVERY_HEADER, SIGNATURE_HEADER, verify
from tests.support import free_port


@dataclass
class Receiver:
    secret: str
    stall_s: float = 0.0          # how long a "timeout" answer takes (above the sender's timeout)
    fail_every: int = 0           # first attempt of one delivery in `fail_every` answers 500 ...
    stall_every: int = 0          # ... and of another one in `stall_every` comes too late
    port: int = field(default_factory=free_port)
    attempts: list[tuple[str, int]] = field(default_factory=list)   # (delivery id, status answered)
    accepted: dict[str, dict] = field(default_factory=dict)         # delivery id -> body, first time only
    forged: int = 0
    log: str | None = None        # also append each accepted delivery here, a JSON line (a receiver in its own process)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def first_attempt_fate(self, delivery: str) -> str:
        n = int(hashlib.sha256(delivery.encode()).hexdigest(), 16)
        if self.fail_every and n % self.fail_every == 0:
            return "fail"
        if self.stall_every and n % self.stall_every == 1:
            return "stall"
        return "ok"

    async def hook(self, request: Request) -> JSONResponse:
        body = await request.body()
        if not verify(self.secret, request.headers.get(SIGNATURE_HEADER, ""), body):
            self.forged += 1
            return JSONResponse({"error": "bad signature"}, 400)
        delivery = request.headers[DELIVERY_HEADER]
        first = not any(d == delivery for d, _ in self.attempts)
        fate = self.first_attempt_fate(delivery) if first else "ok"
        if fate == "fail":
            self.attempts.append((delivery, 500))
            return JSONResponse({"error": "injected"}, 500)
        if fate == "stall":
            self.attempts.append((delivery, 0))
            await asyncio.sleep(self.stall_s)  # the sender has given up by now: it will try again
        else:
            self.attempts.append((delivery, 200))
        received_at = time.time()
        if delivery not in self.accepted:
            self.accepted[delivery] = await request.json() | {"received_at": received_at}
            if self.log:
                with open(self.log, "a", encoding="utf-8") as out:
                    out.write(json.dumps(self.accepted[delivery]) + "\n")
        return JSONResponse({"ok": True})

    def __enter__(self) -> Receiver:
        app = Starlette(routes=[Route("/hooks", self.hook, methods=["POST"])])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


if __name__ == "__main__":  # python -m tests.webhook_receiver SECRET PORT LOG: the receiver alone, in the foreground
    secret, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    receiver = Receiver(secret, port=port, log=log)
    app = Starlette(routes=[Route("/hooks", receiver.hook, methods=["POST"])])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
