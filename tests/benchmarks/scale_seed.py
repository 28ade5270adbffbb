"""Fills a system's stores with N SOP C requests: intake's own application records them, the services do the rest.

Over HTTP the system takes about 100 submissions/s, so 100,000 would take hours. What POST /requests does
after checking the body and the caller is one call, `Intake.submit` (services/intake/cases_api.py via
commands.submitted): it numbers the request in the year's register book and saves the book and the request
in one transaction of intake's event store. The seeder makes that same call, with the same application built
from the same settings (data dir, key store, sealing, chain) as the intake process builds it
(services/intake/bootstrap.py), and the body the POST would carry once validated (`form_of`). Nothing else is
written by hand: when the four services start on that store, intake's relay publishes the requests as it
would have after each POST, and routing opens the cases, documents files them, the SLA starts their clocks
and intake's and documents' read models project them, each service with its own code and at its own pace.
So the stores and read models afterwards are those of N real submissions; only the HTTP front (auth, body
checks, idempotency keys: nothing it stores grows with the cases) was skipped.
"""
from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from services.intake.application import Intake
from services.intake.schemas import SubmitRequest
from shared.eventstore import store_env
from shared.pii.keystore import open_keystore
from shared.settings import Settings
from shared.sop.loader import DEFAULT_DIR, SopLibrary
from system.demo import submission
from tests.benchmarks.crud_baseline import Submit, acting, actors_by_key
from tests.benchmarks.crud_store import CrudStore

SOP = "sop-c"
PORTAL_KEY = "demo-portal"  # the portal that submits in the demo (services/intake/demo-credentials.yaml)


def settings_of(env: dict[str, str]) -> Settings:
    """The services' settings from the launcher's environment, as system.launcher.prepare reads them."""
    return Settings(**{k[4:].lower(): v for k, v in env.items() if k.startswith("SOP_")})


def form_of(n: int) -> dict[str, Any]:
    """What POST /requests hands to Intake.submit for the demo's n-th SOP C body (cases_api.submit)."""
    body = SubmitRequest.model_validate(submission(SOP, n))
    return body.model_dump(mode="json", exclude={"sop_id", "occurred_at"}, exclude_none=True)


def seed_intake(env: dict[str, str], cases: int, first: int = 1, report_every: int = 10_000) -> float:
    """Records `cases` submissions in intake's event store; the seconds it took."""
    settings = settings_of(env)
    library = SopLibrary.from_directory(settings.sop_dir or DEFAULT_DIR)
    intake = Intake(library, env=store_env(settings, "intake"), keys=open_keystore(settings),
                    seal=settings.pii_encryption)
    portal, started = actors_by_key()[PORTAL_KEY], time.perf_counter()
    try:
        for n in range(first, first + cases):
            intake.submit(SOP, form_of(n), portal)
            if report_every and (n - first + 1) % report_every == 0:
                print(f"  seeded {n - first + 1} requests in {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        intake.close()
    return time.perf_counter() - started


def seed_crud(db: Path, cases: int) -> float:
    """The same number of cases in the CRUD baseline's file, through its own store (crud_baseline.submit)."""
    store, library = CrudStore(db), SopLibrary.from_directory()
    # Seeding only: each commit need not reach the disk (the file is the same once closed); the
    # measured process opens it again with synchronous=FULL.
    store.db.execute("PRAGMA synchronous=OFF")
    sop, actor = library.latest(SOP), actors_by_key()[PORTAL_KEY]
    first = sop.step(sop.start)
    started = time.perf_counter()
    for n in range(1, cases + 1):
        body = Submit.model_validate(submission(SOP, n))
        store.open_case(str(uuid.uuid4()), sop.id, sop.version, body.subject, body.model_dump(),
                        first.decisions[0].next, acting(actor, first.role))
    store.db.close()
    return time.perf_counter() - started
