"""Reads SOP definition files into a library keyed by SOP id and version."""
from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from shared.sop.schema import SopDefinition

DEFAULT_DIR = Path(__file__).parent / "definitions"


class DefinitionError(ValueError):
    """A definition file that does not satisfy the schema; the message names the problem."""


def parse_definition(text: str, source: str = "<text>") -> SopDefinition:
    try:
        return SopDefinition.model_validate(yaml.safe_load(text))
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{source}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        reasons = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'definition'}: {e['msg']}" for e in exc.errors()
        )
        raise DefinitionError(f"{source}: {reasons}") from exc


class SopLibrary:
    """Every version of every SOP; new cases start on the latest, running ones keep theirs."""

    def __init__(self, definitions: list[SopDefinition]):
        self._by_key: dict[tuple[str, int], SopDefinition] = {}
        for sop in definitions:
            if (sop.id, sop.version) in self._by_key:
                raise DefinitionError(f"{sop.id} version {sop.version} is defined twice")
            self._by_key[(sop.id, sop.version)] = sop

    @classmethod
    def from_directory(cls, directory: Path = DEFAULT_DIR) -> SopLibrary:
        files = sorted(directory.glob("*.yaml"))
        if not files:
            raise DefinitionError(f"no SOP definitions (*.yaml) in {directory}")
        return cls([parse_definition(f.read_text(encoding="utf-8"), f.name) for f in files])

    def get(self, sop_id: str, version: int) -> SopDefinition:
        try:
            return self._by_key[(sop_id, version)]
        except KeyError:
            raise KeyError(f"unknown SOP '{sop_id}' version {version}") from None

    def latest(self, sop_id: str) -> SopDefinition:
        versions = [v for (i, v) in self._by_key if i == sop_id]
        if not versions:
            raise KeyError(f"unknown SOP '{sop_id}'; known: {', '.join(self.ids())}")
        return self._by_key[(sop_id, max(versions))]

    def ids(self) -> list[str]:
        return sorted({i for (i, _) in self._by_key})

    def all(self) -> list[SopDefinition]:
        return [self._by_key[k] for k in sorted(self._by_key)]
