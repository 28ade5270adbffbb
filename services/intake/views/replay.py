"""Intake's register, inboxes and audit trails rebuilt from event 1 of every service and compared with the live ones."""
from __future__ import annotations

from pathlib import Path

from services.intake.views.store import ViewStore
from shared.contracts import SERVICES
from shared.replay import EventSource, Progress, ReplayReport, no_progress, replay_into
from shared.sql.place import Place


async def replay_views(
    source: EventSource, live: Place, fresh_path: Path | str = ":memory:", settle_s: float = 10,
    progress: Progress = no_progress,
) -> ReplayReport:
    return await replay_into(source, ViewStore(live), lambda: ViewStore(fresh_path), SERVICES,
                             fresh_path, settle_s, progress)
