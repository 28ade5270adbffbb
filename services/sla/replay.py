"""The SLA figures rebuilt from event 1 (routing's events and the monitor's own) and compared with the live ones."""
from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis

from shared.working_calendar import WorkingCalendar
from services.sla.projection import SLA_VIEWS_VERSION, SlaStore
from shared.replay import EventSource, Progress, ReplayReport, no_progress, replay_into
from shared.sop.loader import SopLibrary


def live_path(data_dir: Path) -> Path:
    return data_dir / f"sla-views-v{SLA_VIEWS_VERSION}.db"


async def replay_sla(source: EventSource, data_dir: Path, library: SopLibrary, calendar: WorkingCalendar,
                     fresh_path: Path | str = ":memory:", progress: Progress = no_progress) -> ReplayReport:
    """`calendar` must be the one the service runs with (built from the same settings), or opening the
    live store recomputes it with this one: the same thing the service does when its calendar changes."""
    live = SlaStore(live_path(data_dir), library, calendar)
    return await replay_into(source, live, lambda: SlaStore(fresh_path, library, calendar),
                             ["routing", "sla"], fresh_path, progress=progress)
