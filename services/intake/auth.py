"""Credentials: an API key stands for an actor with roles. The actor of every
command comes from here, never from the request body."""
from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import yaml
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, model_validator

from shared.roles import KNOWN_ROLES, Actor

DEMO_CREDENTIALS = Path(__file__).parent / "demo-credentials.yaml"
# Declared as the API's security scheme, so /docs has Authorize and generated clients send the key;
# auto_error off, so a missing key gets this API's own 401 body.
BEARER = HTTPBearer(auto_error=False, description="An API key issued to a portal or a member of staff")


class Credential(BaseModel):
    key: str | None = None
    key_sha256: str | None = None
    id: str
    name: str
    roles: list[str]

    @model_validator(mode="after")
    def _valid(self) -> Credential:
        if not (self.key or self.key_sha256):
            raise ValueError(f"credential {self.id} needs key or key_sha256")
        unknown = [r for r in self.roles if r not in KNOWN_ROLES]
        if unknown:
            raise ValueError(f"credential {self.id} has unknown roles {unknown}")
        return self

    def digest(self) -> str:
        return self.key_sha256 or hashlib.sha256(self.key.encode()).hexdigest()


class Authenticator:
    def __init__(self, credentials: list[Credential]):
        self._by_digest = {c.digest(): c for c in credentials}
        self.credentials = credentials

    @classmethod
    def from_file(cls, path: Path | None) -> Authenticator:
        raw = yaml.safe_load((path or DEMO_CREDENTIALS).read_text(encoding="utf-8"))
        return cls([Credential.model_validate(c) for c in raw["credentials"]])

    def actor(self, key: str | None) -> Actor:
        if not key:
            raise HTTPException(401, "missing credential: send 'Authorization: Bearer <api key>'",
                                headers={"WWW-Authenticate": "Bearer"})
        digest = hashlib.sha256(key.encode()).hexdigest()
        found = next((c for d, c in self._by_digest.items() if hmac.compare_digest(d, digest)), None)
        if found is None:
            raise HTTPException(401, "unknown credential", headers={"WWW-Authenticate": "Bearer"})
        return Actor(id=found.id, name=found.name, roles=tuple(found.roles))

    def by_id(self, credential_id: str) -> Actor | None:
        """The actor a credential id stands for now (a webhook acts with its owner's current roles)."""
        found = next((c for c in self.credentials if c.id == credential_id), None)
        return None if found is None else Actor(id=found.id, name=found.name, roles=tuple(found.roles))

    async def __call__(self, request: Request,
                       credentials: HTTPAuthorizationCredentials | None = Depends(BEARER)) -> Actor:
        # async: FastAPI would run a plain function in its thread pool, a thread hop per request
        known = getattr(request.state, "actor", None)  # the gateway's middleware authenticated it already
        return known or self.actor(credentials.credentials.strip() if credentials else None)
