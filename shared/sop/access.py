"""The read policy (shared/sop/access.yaml): which cases each role sees, who reads reports and the
register book. Validated like the SOP files: an unknown role or scope is refused with its name."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from shared.roles import KNOWN_ROLES
from shared.sop.loader import DefinitionError, SopLibrary

DEFAULT_POLICY = Path(__file__).parent / "access.yaml"
Scope = Literal["own", "acting", "all", "none"]
WIDTH: dict[str, int] = {"none": 0, "own": 1, "acting": 2, "all": 3}


class ReadPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    case_reads: dict[str, Scope]
    reports: tuple[str, ...]
    register_book: tuple[str, ...]

    @model_validator(mode="after")
    def _known_roles(self) -> ReadPolicy:
        named = set(self.case_reads) | set(self.reports) | set(self.register_book)
        unknown = sorted(named - KNOWN_ROLES)
        if unknown:
            raise ValueError(f"unknown roles {unknown}")
        missing = sorted(KNOWN_ROLES - set(self.case_reads))
        if missing:
            raise ValueError(f"case_reads says nothing of roles {missing}")
        return self

    @classmethod
    def from_file(cls, path: Path | None = None) -> ReadPolicy:
        path = path or DEFAULT_POLICY
        try:
            return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, ValidationError) as exc:
            raise DefinitionError(f"{path.name}: {exc}") from exc

    def scope(self, roles: tuple[str, ...]) -> Scope:
        """The widest case scope of these roles."""
        return max((self.case_reads[r] for r in roles), key=WIDTH.__getitem__, default="none")


def acting_sops(library: SopLibrary, roles: tuple[str, ...]) -> frozenset[str]:
    """The SOPs in which any of these roles acts on a step, in any version."""
    return frozenset(s.id for s in library.all() if any(step.role in roles for step in s.steps))
