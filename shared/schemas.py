"""The JSON Schemas published in docs/: generated from the models, checked by a test so they never drift."""
from __future__ import annotations

import json
from pathlib import Path

from shared import asyncapi
from shared.contracts import CaseCommand, StepCommand
from shared.events import EVENT
from shared.sop.schema import SopDefinition

DOCS = Path(__file__).resolve().parent.parent / "docs"


def schemas() -> dict[str, dict]:
    return {
        "event-message.schema.json": EVENT.json_schema(by_alias=True),
        "step-command.schema.json": StepCommand.model_json_schema(),
        "case-command.schema.json": CaseCommand.model_json_schema(),
        "sop-definition.schema.json": SopDefinition.model_json_schema(),
    }


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write(directory: Path = DOCS) -> list[Path]:
    written = []
    for name, schema in schemas().items():
        path = directory / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    (directory / "asyncapi.yaml").write_text(asyncapi.render(), encoding="utf-8")
    return [*written, directory / "asyncapi.yaml"]


if __name__ == "__main__":
    for path in write():
        print(path)
