"""The floor's gateway: the CRUD baseline's routes, keys and checks, each command forwarded over the bus to
the write model and its reply awaited on this process's channel; reads answered from its own projection,
waiting (as the real gateway does) until the projection holds the version a write answered.

    python -m tests.benchmarks.floor.gateway --prefix P --port N --db FILE
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import hashlib
import os
import uuid
from pathlib import Path
from typing import Annotated, Any

import uvicorn
from fastapi import FastAPI, Header, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import JSONResponse
from faststream.redis import RedisBroker
from faststream.redis.annotations import RedisMessage

from shared.roles import Actor
from shared.sop.loader import SopLibrary
from tests.benchmarks.crud_baseline import Step, Submit, actors_by_key
from tests.benchmarks.floor.follower import follow
from tests.benchmarks.floor.wire import Command, Projection, streams
from tests.benchmarks.system import REDIS_URL

READ_WAIT_S = 2.0


def build_app(prefix: str, db: Path) -> FastAPI:
    # Per-message logs at DEBUG and a pool of 64, as the real services' brokers (shared/runtime.py).
    broker = RedisBroker(REDIS_URL, max_connections=64, log_level=logging.DEBUG)
    projection, library, actors = Projection(db), SopLibrary.from_directory(), actors_by_key()
    channel, waiting, moved = f"{prefix}.replies.{os.getpid()}", {}, {"event": asyncio.Event()}

    def projected() -> None:  # wakes every read waiting for its version
        moved["event"].set()
        moved["event"] = asyncio.Event()

    follow(broker, prefix, projection, then=projected)

    @broker.subscriber(channel=channel)
    async def on_reply(reply: dict[str, Any], message: RedisMessage) -> None:
        if (answer := waiting.pop(message.correlation_id, None)) is not None and not answer.done():
            answer.set_result(reply)

    async def forward(command: Command) -> dict[str, Any]:
        correlation_id = uuid.uuid4().hex
        answer = waiting[correlation_id] = asyncio.get_running_loop().create_future()
        await broker.publish(command, stream=streams(prefix)["commands"], reply_to=channel,
                             correlation_id=correlation_id)
        return await asyncio.wait_for(answer, 10)

    def caller(authorization: str | None) -> Actor:
        if (actor := actors.get((authorization or "").removeprefix("Bearer "))) is None:
            raise HTTPException(401, "missing or unknown credential")
        return actor

    async def known_case(case_id: uuid.UUID, min_version: int = 0) -> dict[str, Any]:
        deadline = asyncio.get_running_loop().time() + READ_WAIT_S
        while (case := projection.case(str(case_id))) is None or case["version"] < min_version:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise HTTPException(404 if case is None else 409, "not_yet_consistent")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(moved["event"].wait(), left)
        return case

    def answered(reply: dict[str, Any], status: int = 200) -> Any:
        if "error" in reply:
            return JSONResponse({"error": reply["error"], "reason": reply["reason"]}, reply["status"])
        return JSONResponse(reply, status)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI):
        async with broker:
            await broker.start()
            yield

    app = FastAPI(title="floor gateway", lifespan=lifespan)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/requests", status_code=201)
    async def submit(body: Submit, authorization: Annotated[str | None, Header()] = None) -> Any:
        actor = caller(authorization)
        try:
            sop = library.latest(body.sop_id)
        except KeyError as exc:
            raise HTTPException(404, str(exc.args[0])) from None
        if not actor.has(sop.step(sop.start).role):
            raise HTTPException(403, f"step {sop.start} is for role {sop.step(sop.start).role}")
        return answered(await forward(Command(kind="open", case_id=str(uuid.uuid4()), actor=actor.model_dump(),
                                              sop_id=sop.id, subject=body.subject, form=body.model_dump())), 201)

    @app.post("/cases/{case_id}/steps/{step}")
    async def complete(case_id: uuid.UUID, step: Annotated[int, PathParam(ge=1, le=999)], body: Step,
                       authorization: Annotated[str | None, Header()] = None) -> Any:
        actor, case = caller(authorization), await known_case(case_id)
        if library.get(case["sop_id"], case["sop_version"]).step(step) is None:
            raise HTTPException(422, f"{case['sop_id']} has no step {step}")
        given = {"note": body.note, "withheld_parts": body.withheld_parts, "draft": body.draft,
                 "attachments": body.attachments}
        return answered(await forward(Command(kind="step", case_id=str(case_id), actor=actor.model_dump(), step=step,
                                              decision=body.decision, note=body.note,
                                              given=[k for k, v in given.items() if v and str(v).strip()])))

    @app.post("/cases/{case_id}/attachments", status_code=201)
    async def upload(case_id: uuid.UUID, request: Request, authorization: Annotated[str | None, Header()] = None,
                     x_filename: Annotated[str, Header()] = "upload") -> dict[str, Any]:
        caller(authorization), await known_case(case_id)
        data = await request.body()
        return {"sha256": hashlib.sha256(data).hexdigest(), "name": x_filename,
                "media_type": request.headers.get("content-type", ""), "size": len(data)}

    @app.get("/cases/{case_id}")
    async def read_case(case_id: uuid.UUID, min_version: Annotated[int, Query(ge=0)] = 0,
                        authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        caller(authorization)
        return await known_case(case_id, min_version)

    @app.get("/cases/{case_id}/audit")
    async def audit(case_id: uuid.UUID, min_version: Annotated[int, Query(ge=0)] = 0,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100,
                    authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        caller(authorization), await known_case(case_id, min_version)
        return {"items": projection.audit(str(case_id), limit), "next": None}

    return app


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.floor.gateway")
    p.add_argument("--prefix", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--db", type=Path, required=True)
    args = p.parse_args()
    uvicorn.run(build_app(args.prefix, args.db), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
