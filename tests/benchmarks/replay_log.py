"""A large event log for the replay benchmark, in a fresh data folder: the recorded full run
(tests/histories/recorded/full-run: the demo's cases, every SOP and branch) loaded `copies` times, each copy
under its own case ids and register numbers, into each service's own store as the services wrote it.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path

from eventsourcing.persistence import StoredEvent

from shared.chain.stores import SERVICES
from shared.settings import Settings
from shared.sop.loader import SopLibrary
from system.stored_messages import service_app
from tests.histories.fixture_files import RECORDED, as_uuid, recorded_events, state_bytes

UUID_TEXT = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
REGISTER_NUMBER = re.compile(r"\b(\d{4})/REG/")


def renamed(text: str, copy: int) -> str:
    """The text with every id and register number made its copy's own (the same for the same id)."""
    def new_id(found: re.Match) -> str:
        fresh = uuid.uuid5(uuid.NAMESPACE_OID, f"{copy}:{found.group().replace('-', '')}")
        return str(fresh) if "-" in found.group() else fresh.hex
    text = UUID_TEXT.sub(new_id, text)
    return REGISTER_NUMBER.sub(lambda m: f"{copy:03d}{m.group(1)}/REG/", text)


def build_log(settings: Settings, copies: int, history: Path = RECORDED / "full-run") -> int:
    """Writes the copies into the fresh stores of `settings`; answers the number of stored events."""
    library, written = SopLibrary.from_directory(), 0
    rows = {service: list(recorded_events(history, service)) for service in SERVICES}
    for service in SERVICES:
        app = service_app(service, settings, library)
        try:
            for copy in range(copies):
                app.recorder.insert_events([StoredEvent(
                    originator_id=as_uuid(renamed(r["originator_id"], copy)), originator_version=r["version"],
                    topic=r["topic"], state=renamed(state_bytes(r).decode("utf-8"), copy).encode("utf-8"))
                    for r in rows[service]])
                written += len(rows[service])
        finally:
            app.close()
    return written
