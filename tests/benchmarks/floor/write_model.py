"""The floor's write model: commands from a consumer group, decided by the SOP state machine, the status row
and the audit row (the event log) in one transaction, each event published on the stream after the commit,
the reply sent to the gateway's channel (faststream publishes a handler's return value to `reply_to`).

    python -m tests.benchmarks.floor.write_model --prefix P --db FILE --ready FILE
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
from pathlib import Path
from typing import Any

from faststream.redis import RedisBroker, StreamSub

from shared.messaging.commands import ensure_group
from shared.roles import Actor
from shared.runtime import connect_redis
from shared.sop.loader import SopLibrary
from shared.sop.machine import Refused, decide
from tests.benchmarks.crud_baseline import REFUSAL_STATUS
from tests.benchmarks.crud_store import CrudStore, Stale
from tests.benchmarks.floor.wire import Command, Event, streams
from tests.benchmarks.system import REDIS_URL


class WriteModel:
    def __init__(self, store: CrudStore, library: SopLibrary):
        self.store, self.library = store, library
        self.seq = store.db.execute("SELECT count(*) FROM audit").fetchone()[0]

    def handle(self, c: Command) -> tuple[dict[str, Any], list[Event]]:
        """(the reply, the events to publish); a refusal answers its error and records nothing."""
        actor = Actor(id=c.actor["id"], name=c.actor["name"], roles=tuple(c.actor["roles"]))
        if c.kind == "open":
            sop = self.library.latest(c.sop_id)
            first = sop.step(sop.start)
            acting = {"id": actor.id, "name": actor.name, "role": first.role}
            number, _ = self.store.open_case(c.case_id, sop.id, sop.version, c.subject, c.form,
                                             first.decisions[0].next, acting)
            case = self.store.case(c.case_id)
            return {"case_id": c.case_id, "register_number": number, "sop_id": sop.id, "sop_version": sop.version}, \
                [self._event(case, "RequestSubmitted", first.number, "submitted", None, acting)]
        case = self.store.case(c.case_id)
        if case is None:
            return {"status": 404, "error": "not_found", "reason": f"no case {c.case_id}"}, []
        sop = self.library.get(case["sop_id"], case["sop_version"])
        try:
            move = decide(sop, case["current_step"], c.step, c.decision, actor, frozenset(c.given))
            acting = {"id": actor.id, "name": actor.name, "role": move.step.role}
            after = self.store.complete_step(case, c.step, c.decision, c.note, move.next_step, move.outcome, acting)
        except Refused as exc:
            return {"status": REFUSAL_STATUS.get(exc.code, 422), "error": exc.code, "reason": exc.reason}, []
        except Stale:
            return {"status": 409, "error": "concurrent_completion", "reason": "another command won"}, []
        events = [self._event(after, "StepCompleted", c.step, c.decision, c.note, acting)]
        if move.outcome:
            events.append(self._event(after, "CaseClosed", None, move.outcome, None, acting))
        return {k: after[k] for k in ("case_id", "sop_id", "sop_version", "register_number", "current_step",
                                      "outcome", "version")} | {"paused": False, "deadline_extended": False}, events

    def _event(self, case: dict[str, Any], kind: str, step: int | None, decision: str | None, note: str | None,
               actor: dict[str, str]) -> Event:
        self.seq += 1
        return Event(seq=self.seq, type=kind, case_id=case["case_id"], register_number=case["register_number"],
                     sop_id=case["sop_id"], sop_version=case["sop_version"], step=step, decision=decision, note=note,
                     actor=actor, recorded_at="", current_step=case["current_step"], outcome=case["outcome"],
                     version=case["version"])


async def serve(prefix: str, db: Path, ready: Path) -> None:
    names, model = streams(prefix), WriteModel(CrudStore(db), SopLibrary.from_directory())
    broker = RedisBroker(REDIS_URL, max_connections=64, log_level=logging.DEBUG)  # as the real services

    @broker.subscriber(stream=StreamSub(names["commands"], group="write-model", consumer=f"c{os.getpid()}"))
    async def on_command(command: Command) -> dict[str, Any]:
        reply, events = model.handle(command)
        for event in events:
            await broker.publish(event, stream=names["events"])
        return reply

    redis = connect_redis(REDIS_URL)
    await ensure_group(redis, names["commands"], "write-model")  # at 0: a command sent before we start counts
    await redis.aclose()
    async with broker:
        await broker.start()
        ready.write_text("ready")
        await asyncio.Event().wait()


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.floor.write_model")
    p.add_argument("--prefix", required=True)
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--ready", type=Path, required=True)
    args = p.parse_args()
    asyncio.run(serve(args.prefix, args.db, args.ready))


if __name__ == "__main__":
    main()
