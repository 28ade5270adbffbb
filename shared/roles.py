"""Who acts: the roles of the agency and the actor a credential stands for."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from shared.agency import agency

# The agency's roles, with their titles, are data: shared/sop/agency.yaml.
KNOWN_ROLES: frozenset[str] = frozenset(agency().roles)


class Actor(BaseModel):
    """The person or portal behind a credential; written into every event it causes."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    roles: tuple[str, ...]

    def has(self, role: str) -> bool:
        return role in self.roles


class ActingAs(BaseModel):
    """An actor in the one role it used for a step: what an event records."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    role: str
