"""A recorded history on disk, and back into fresh event stores.

`<name>/<service>.jsonl.gz`: each service's stored events in notification order, one JSON object a line
(notification id, originator id and version, topic, and the stored state as the text the store holds),
gzipped with no timestamp so the same events give the same file. `<name>/expected.json`: what replaying
them must give. Loading goes through each service's own application and so its chained recorder: the
fresh store holds the same events at the same positions, and its chain must end in the recorded head.
"""
from __future__ import annotations

import base64
import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

from shared.chain.stores import SERVICES, open_store, pages
from shared.chain.verify import verify
from shared.settings import Settings
from shared.sop.loader import SopLibrary
from system.stored_messages import service_app

RECORDED = Path(__file__).parent / "recorded"
BATCH = 500


def events_file(folder: Path, service: str) -> Path:
    return folder / f"{service}.jsonl.gz"


def export_events(settings: Settings, folder: Path) -> dict[str, int]:
    """Every stored event of every service of `settings`' stores into `folder`; answers the count per service."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for service in SERVICES:
        store = open_store(settings, service)
        rows = list(pages(store.events)) if store else []
        if store:
            store.close()
        lines = "".join(json.dumps({"n": r.notification_id, "originator_id": r.originator_id, "version": r.version,
                                    "topic": r.topic} | state_field(r.state), ensure_ascii=False) + "\n" for r in rows)
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as out:
            out.write(lines.encode("utf-8"))
        events_file(folder, service).write_bytes(buffer.getvalue())
        counts[service] = len(rows)
    return counts


def state_field(state: bytes) -> dict[str, str]:
    """The stored state as the text it is (JSON), or base64 when a store's transcoder writes other bytes
    (compressed or enciphered): either way the same bytes go back, so the chain's hashes do too."""
    try:
        return {"state": state.decode("utf-8")}
    except UnicodeDecodeError:
        return {"state_base64": base64.b64encode(state).decode("ascii")}


def state_bytes(row: dict[str, Any]) -> bytes:
    return row["state"].encode("utf-8") if "state" in row else base64.b64decode(row["state_base64"])


def recorded_events(folder: Path, service: str) -> Iterator[dict[str, Any]]:
    with gzip.open(events_file(folder, service), "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def load_events(folder: Path, settings: Settings, library: SopLibrary) -> dict[str, Application[Any]]:
    """Writes the recorded events into the (fresh) stores of `settings`, at the recorded positions."""
    apps = {}
    for service in SERVICES:
        app = apps[service] = service_app(service, settings, library)
        rows = list(recorded_events(folder, service))
        for start in range(0, len(rows), BATCH):
            batch = rows[start:start + BATCH]
            ids = app.recorder.insert_events([StoredEvent(
                originator_id=as_uuid(r["originator_id"]), originator_version=r["version"], topic=r["topic"],
                state=state_bytes(r)) for r in batch])
            if list(ids or []) != [r["n"] for r in batch]:
                raise AssertionError(f"{service}: loaded at positions {ids[:3]}…, recorded at "
                                     f"{[r['n'] for r in batch][:3]}…: the store was not fresh")
    return apps


def chain_heads(settings: Settings) -> dict[str, dict[str, Any]]:
    """Per service: the events its chain links, the head's hash, and whether the walk found it intact."""
    heads = {}
    for service in SERVICES:
        store = open_store(settings, service)
        if store is None:
            heads[service] = {"events": 0, "head": None, "intact": True}
            continue
        try:
            verdict = verify(store)
        finally:
            store.close()
        heads[service] = {"events": verdict.count, "head": verdict.head_hash, "intact": verdict.intact}
    return heads


def as_uuid(originator_id: str) -> UUID | str:
    try:
        return UUID(originator_id)
    except ValueError:
        return originator_id


def dump(value: Any, indent: str = "") -> str:
    """Keys one a line, a list of scalars (a table's row) on one: a re-recording's diff shows the rows that changed."""
    inner = indent + " "
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {dump(v, inner)}" for k, v in sorted(value.items())]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}" + ("" if indent else "\n")
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return "[\n" + ",\n".join(f"{inner}{dump(v, inner)}" for v in value) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False)
