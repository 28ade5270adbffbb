"""The plain CRUD baseline of `make bench`: FastAPI + SQLite in one process, the real API's route shapes.

    python -m tests.benchmarks.crud_baseline --port 8100 --db /tmp/crud.db

What the driver uses, and checked like the real thing: the bearer key stands for an actor (the demo
credentials), a step must be the current one and the actor must hold its role (shared.sop.machine.decide
over the same SOP definitions), a decision's required content must be there. Then one status row and one
audit row, committed before the answer. Uploads are hashed and answered, not stored.
"""
from __future__ import annotations

import argparse
import hashlib
import uuid
from pathlib import Path
from typing import Annotated, Any

import uvicorn
import yaml
from fastapi import FastAPI, Header, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from shared.roles import Actor
from shared.sop.loader import SopLibrary
from shared.sop.machine import Refused, decide
from tests.benchmarks.crud_store import CrudStore, Stale

CREDENTIALS = Path(__file__).resolve().parents[2] / "services" / "intake" / "demo-credentials.yaml"
REFUSAL_STATUS = {"wrong_role": 403, "wrong_step": 409, "case_closed": 409}  # the rest: 422, as the real API


class Submit(BaseModel):
    sop_id: str = Field(max_length=64)
    subject: str = Field(max_length=500)
    applicant: dict[str, str]
    details: str | None = Field(None, max_length=4000)
    letter: dict[str, str] | None = None


class Step(BaseModel):
    decision: str = Field(min_length=1, max_length=64)
    note: str | None = Field(None, max_length=4000)
    withheld_parts: list[dict[str, str]] | None = None
    draft: str | None = Field(None, max_length=20000)
    attachments: list[str] | None = None


def actors_by_key(path: Path = CREDENTIALS) -> dict[str, Actor]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["credentials"]
    return {c["key"]: Actor(id=c["id"], name=c["name"], roles=tuple(c["roles"])) for c in raw if c.get("key")}


def build_app(db_path: Path) -> FastAPI:
    app, store, library, actors = FastAPI(title="CRUD baseline"), CrudStore(db_path), SopLibrary.from_directory(), \
        actors_by_key()

    def caller(authorization: str | None) -> Actor:
        actor = actors.get((authorization or "").removeprefix("Bearer "))
        if actor is None:
            raise HTTPException(401, "missing or unknown credential")
        return actor

    def known_case(case_id: uuid.UUID, min_version: int = 0) -> dict[str, Any]:
        case = store.case(str(case_id))
        if case is None:
            raise HTTPException(404, f"no case {case_id}")
        if case["version"] < min_version:  # never, as the write committed before its answer: kept for shape
            raise HTTPException(409, "not_yet_consistent")
        return case

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/requests", status_code=201)
    async def submit(body: Submit, authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        actor = caller(authorization)
        try:
            sop = library.latest(body.sop_id)
        except KeyError as exc:
            raise HTTPException(404, str(exc.args[0])) from None
        first = sop.step(sop.start)
        if not actor.has(first.role):
            raise HTTPException(403, f"step {first.number} is for role {first.role}")
        case_id = str(uuid.uuid4())
        register_number, _ = store.open_case(case_id, sop.id, sop.version, body.subject, body.model_dump(),
                                             first.decisions[0].next, acting(actor, first.role))
        return {"case_id": case_id, "register_number": register_number, "sop_id": sop.id, "sop_version": sop.version}

    @app.post("/cases/{case_id}/steps/{step}")
    async def complete(case_id: uuid.UUID, step: Annotated[int, PathParam(ge=1, le=999)], body: Step,
                       authorization: Annotated[str | None, Header()] = None) -> Any:
        actor, case = caller(authorization), known_case(case_id)
        sop = library.get(case["sop_id"], case["sop_version"])
        if sop.step(step) is None:
            raise HTTPException(422, f"{sop.id} has no step {step}")
        given = {"note": body.note, "withheld_parts": body.withheld_parts, "draft": body.draft,
                 "attachments": body.attachments}
        try:
            move = decide(sop, case["current_step"], step, body.decision, actor,
                          frozenset(k for k, v in given.items() if v and str(v).strip()))
            case = store.complete_step(case, step, body.decision, body.note, move.next_step, move.outcome,
                                       acting(actor, move.step.role))
        except Refused as exc:
            return JSONResponse({"error": exc.code, "reason": exc.reason}, REFUSAL_STATUS.get(exc.code, 422))
        except Stale:
            return JSONResponse({"error": "concurrent_completion", "reason": "another command won"}, 409)
        return {k: case[k] for k in ("case_id", "sop_id", "sop_version", "register_number", "current_step",
                                     "outcome", "version")} | {"paused": False, "deadline_extended": False}

    @app.post("/cases/{case_id}/attachments", status_code=201)
    async def upload(case_id: uuid.UUID, request: Request, authorization: Annotated[str | None, Header()] = None,
                     x_filename: Annotated[str, Header()] = "upload") -> dict[str, Any]:
        caller(authorization), known_case(case_id)
        data = await request.body()
        return {"sha256": hashlib.sha256(data).hexdigest(), "name": x_filename,
                "media_type": request.headers.get("content-type", ""), "size": len(data)}

    @app.get("/cases/{case_id}")
    async def read_case(case_id: uuid.UUID, min_version: Annotated[int, Query(ge=0)] = 0,
                        authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        caller(authorization)
        return known_case(case_id, min_version)

    @app.get("/register")
    async def register(limit: Annotated[int, Query(ge=1, le=500)] = 100,
                       authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        caller(authorization)
        return {"items": store.register(limit), "next": None}

    @app.get("/cases/{case_id}/audit")
    async def audit(case_id: uuid.UUID, min_version: Annotated[int, Query(ge=0)] = 0,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100,
                    authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        caller(authorization), known_case(case_id, min_version)
        return {"items": store.audit(str(case_id), limit), "next": None}

    return app


def acting(actor: Actor, role: str) -> dict[str, str]:
    return {"id": actor.id, "name": actor.name, "role": role}


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.crud_baseline", description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--db", type=Path, required=True)
    args = p.parse_args()
    # One process, one event loop, uvicorn as each real service runs it (services/*/main.py).
    uvicorn.run(build_app(args.db), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
