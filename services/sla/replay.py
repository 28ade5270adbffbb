"""The SLA figures rebuilt from event 1 (routing's events and the monitor's own) and compared with the live ones."""
from __future__ import annotations

from pathlib import Path

from shared.working_calendar import WorkingCalendar
from services.sla.projection import SlaStore
from shared.replay import EventSource, Progress, ReplayReport, no_progress, replay_into
from shared.sop.loader import SopLibrary
from shared.sql.place import Place


async def replay_sla(source: EventSource, live: Place, library: SopLibrary, calendar: WorkingCalendar,
                     fresh_path: Path | str = ":memory:", progress: Progress = no_progress) -> ReplayReport:
    """`live` is where the service keeps its figures (services.sla.projection.sla_views_place). `calendar`
    must be the one the service runs with (built from the same settings), or opening the live store
    recomputes it with this one: the same thing the service does when its calendar changes."""
    return await replay_into(source, SlaStore(live, library, calendar), lambda: SlaStore(fresh_path, library, calendar),
                             ["routing", "sla"], fresh_path, progress=progress)
