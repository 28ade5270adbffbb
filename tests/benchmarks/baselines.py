"""What the flow's figures are compared with, measured in the same run on the same machine.

(a) raw Redis: XADD n wire-sized messages, then XREADGROUP count=100 + XACK each batch (redis-py sync);
    plus the latency of one message's XADD -> XREADGROUP -> XACK hop, one at a time.
(b) raw event store: an eventsourcing Application on SQLite (shared.eventstore.store_env), one small
    aggregate event per save.
(c) routing's use case called directly (no HTTP, no Redis): one save per step command.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path
from uuid import uuid4

import redis as sync_redis
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from services.routing.application import Routing
from services.routing.handlers import handle_command
from shared.contracts import EventMessage, StepCommand
from system.demo import move_body, submission
from shared.eventstore import store_env
from shared.roles import ActingAs
from shared.settings import Settings
from shared.sop.loader import DEFAULT_DIR, SopLibrary
from tests.benchmarks.drive import SOP_ORDER, completed_paths
from tests.benchmarks.system import percentiles


def raw_redis(url: str, stream: str, fields: dict, n: int, hops: int = 1000) -> dict:
    r = sync_redis.Redis.from_url(url)
    r.delete(stream)
    r.xgroup_create(stream, "bench", id="0", mkstream=True)
    started = time.perf_counter()
    for _ in range(n):
        r.xadd(stream, fields)
    added = time.perf_counter()
    done = 0
    while done < n:
        for _, entries in r.xreadgroup("bench", "c1", {stream: ">"}, count=100) or []:
            r.xack(stream, "bench", *[entry_id for entry_id, _ in entries])
            done += len(entries)
    acked = time.perf_counter()
    latency = []
    for _ in range(hops):
        t = time.perf_counter()
        r.xadd(stream, fields)
        (_, entries), = r.xreadgroup("bench", "c1", {stream: ">"}, count=1)
        r.xack(stream, "bench", entries[0][0])
        latency.append(time.perf_counter() - t)
    r.delete(stream)
    r.close()
    size = sum(len(x if isinstance(x, bytes) else str(x).encode()) for kv in fields.items() for x in kv)
    return {"messages": n, "payload_bytes": size,
            "xadd_per_s": n / (added - started), "read_ack_per_s": n / (acked - added),
            "full_path_per_s": n / (acked - started), "hop_latency": percentiles(latency)}


class Tally(Aggregate):
    def __init__(self) -> None:
        self.n = 0

    @event("Ticked")
    def tick(self, n: int) -> None:
        self.n = n


def raw_saves(data_dir: Path, n: int) -> dict:
    app = Application(env=store_env(Settings(data_dir=data_dir, persistence="sqlite"), "raw-saves"))
    tally = Tally()
    app.save(tally)
    latency = []
    started = time.perf_counter()
    for i in range(n):
        t = time.perf_counter()
        tally.tick(i)
        app.save(tally)
        latency.append(time.perf_counter() - t)
    seconds = time.perf_counter() - started
    app.close()
    return {"events": n, "events_per_s": n / seconds, "save_latency": percentiles(latency)}


def submitted(sop_id: str, n: int, position: int, library: SopLibrary) -> EventMessage:
    form, now = submission(sop_id, n), datetime.now(timezone.utc)
    return EventMessage(
        event_id=str(uuid4()), type="RequestSubmitted", source="intake", position=position, case_id=str(uuid4()),
        sop_id=sop_id, sop_version=library.latest(sop_id).version, step=1,
        actor=ActingAs(id="portal", name="Portal", role="pemohon"), occurred_at=now, recorded_at=now,
        data={"register_number": f"{n:04d}/REG/BENCH", "subject": form["subject"], "applicant": form["applicant"],
              "form": {k: v for k, v in form.items() if k != "sop_id"}},  # as intake records it
    )


def routing_direct(data_dir: Path, n_cases: int) -> dict:
    library = SopLibrary.from_directory(DEFAULT_DIR)
    routing = Routing(library, env=store_env(Settings(data_dir=data_dir, persistence="sqlite"), "routing"))
    paths = completed_paths()
    plan = [paths[SOP_ORDER[i % len(SOP_ORDER)]] for i in range(n_cases)]
    opened = [submitted(s.sop_id, i + 1, i + 1, library) for i, s in enumerate(plan)]
    started = time.perf_counter()
    for message in opened:
        assert routing.handle_message(message)
    open_s = time.perf_counter() - started
    latency, failures = [], 0
    started = time.perf_counter()
    for message, scenario in zip(opened, plan):
        for step, decision, role in scenario.moves:
            body = move_body(decision)
            command = StepCommand(command_id=str(uuid4()), case_id=message.case_id, step=step, decision=decision,
                                  actor_id=f"bench-{role}", actor_name=role, actor_roles=(role,), note=body["note"],
                                  withheld_parts=body.get("withheld_parts"))
            t = time.perf_counter()
            failures += not handle_command(routing, command).ok
            latency.append(time.perf_counter() - t)
    seconds = time.perf_counter() - started
    routing.close()
    return {"cases": n_cases, "opens_per_s": n_cases / open_s, "commands": len(latency),
            "commands_per_s": len(latency) / seconds, "failures": failures, "command_latency": percentiles(latency)}
