"""`python -m tests.histories.record [NAME]` (`make record-histories`): records a history from a real system.

Starts the four services on free ports with a prefix of their own (tests/support.py), signing with the
fixtures' DEMO key, drives the scenarios (tests/histories/scenarios.py) through the API, fetches every
document revision and the capaian kinerja report, lets the followers settle and stops the system. Then it
writes each service's stored events and, as `expected.json`, what the live system showed: its read models
(intake's register, audit trails, inboxes, feed; the SLA figures), every revision's SHA-256 as served,
the report, the chain heads. Last, it replays what it wrote through the code as it is now and refuses the
recording (exit 1, nothing kept) when the replay does not give the same: a history that does not replay
is a bug to fix, not to record. When re-recording is legitimate: README, "Recorded histories".
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

from services.intake.views.store import ViewStore, views_path
from services.sla.domain import calendar_from
from services.sla.projection import SlaStore, sla_views_place
from shared.agency import agency
from shared.letterhead import LetterheadSettings
from shared.settings import Settings
from shared.sop.loader import SopLibrary
from tests.histories import scenarios as s
from tests.histories.compare import differences
from tests.histories.fixture_files import RECORDED, chain_heads, dump, export_events, service_app
from tests.histories.live_data import commit, settle, topics
from tests.histories.replay import last_calendar, replay, rows
from tests.histories.rerender import SIGNING, signing_env
from tests.support import private_system


def full_run(client: httpx.Client, data: Path) -> dict[str, Any]:
    """Every SOP and branch, holds and an extension, a breach with its escalation, a calendar change."""
    cases = s.every_branch(client) + [s.held_case(client), s.breached_case(client)]
    holiday = s.change_calendar(data / "calendar-overrides.yaml", lambda: topics(data / "sla.db"))
    cases.append(s.run_scenario(client, s.scenarios()[4], 60))  # a case on the changed calendar
    return {"cases": cases, "holiday_added": holiday}


# `v1-shapes` (SOP B to the end, SOP C refused) was recorded once, before Request.Submitted and Case.Opened
# had class versions, and is kept as it is so their upcasting stays tested: no plan here records it again.
PLANS = {"full-run": full_run}


def main(*names: str) -> int:
    for name in names or ("full-run",):
        if record(name) != 0:
            return 1
    return 0


def record(name: str) -> int:
    if name not in PLANS:
        print(f"{name}: no plan records it (plans: {', '.join(PLANS)}); a kept history is never re-recorded")
        return 2
    folder = RECORDED / name
    with tempfile.TemporaryDirectory(prefix="record-histories-") as tmp:
        data, staged = Path(tmp) / "data", Path(tmp) / name
        expected = run_system(data, PLANS[name])
        settings = Settings(persistence="sqlite", data_dir=data)
        counts = export_events(settings, staged)
        expected |= live_figures(settings)
        (staged / "expected.json").write_text(dump(expected), encoding="utf-8")
        found = replayed_differences(staged, Path(tmp) / "replay")
        if found:
            print(f"not recorded: the replay of {name} differs from the live system", *found[:40], sep="\n  ")
            return 1
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(staged, folder)
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"recorded {folder}: events {counts}, {len(expected['documents'])} document revisions, {size:,} bytes")
    return 0


def run_system(data: Path, plan) -> dict[str, Any]:
    shutil.copytree(SIGNING, data / "signing")
    overrides = data / "calendar-overrides.yaml"
    overrides.write_text("add: []\n", encoding="utf-8")
    env = signing_env() | {"SOP_CALENDAR_OVERRIDES_FILE": str(overrides), "SOP_SLA_CALENDAR_REFRESH_SECONDS": "1"}
    with private_system("record-histories", data, timeout_s=120, **env) as system, \
            httpx.Client(base_url=system.url("intake"), timeout=30) as client:
        done = plan(client, data)
        documents = s.fetch_every_revision(client, done["cases"])
        settle(data)
        start, end = s.first_day(), datetime.now(agency().tz).date()
        report, form = s.capaian(client, start, end)
        book = s.register_book(client, start, end)
    return {"recorded": {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": commit(),
                         **done},
            "documents": documents,
            "register_book": {"period": {"from": start.isoformat(), "to": end.isoformat()}, "sha256": book,
                              "letterhead": LetterheadSettings().model_dump(mode="json")},
            "capaian_kinerja": {"period": {"from": start.isoformat(), "to": end.isoformat()},
                                "monitoring_date": report["monitoring_date"], "report": report,
                                "pdf_sha256": hashlib.sha256(form).hexdigest()}}


def live_figures(settings: Settings) -> dict[str, Any]:
    """The live read models as the services' followers left them, and the chain heads of the stores."""
    library = SopLibrary.from_directory()
    sla = service_app("sla", settings, library)  # its last calendar, read from its own log
    try:
        calendar = calendar_from(last_calendar(sla))
    finally:
        sla.close()
    return {"chain": chain_heads(settings), "register_and_audit": rows(ViewStore(views_path(settings)).snapshot()),
            "sla": rows(SlaStore(sla_views_place(settings), library, calendar).snapshot())}


def replayed_differences(folder: Path, work: Path) -> list[str]:
    work.mkdir()
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return differences(expected, replay(folder, Settings(persistence="sqlite", data_dir=work), work))


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
