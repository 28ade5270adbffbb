"""The guarantees' own work, measured in this process where other work on the machine matters far less than
across a whole system: what chaining adds to an event's save, what sealing adds to a submission (a key made
in keys.db, five fields sealed), what opening adds to a read (a key looked up, the name opened); as this
process's CPU time and as wall time (which holds the waits for the disk, SQLite's commits). Multiplied by
how many of each a step command brings (from the system runs), it is an estimate of the guarantees' CPU per
step command, beside the measured CPU of one with both off. A lower bound: a read opening more than the
name, and documents opening a case's facts to render, count once.
"""
from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from shared.eventstore import store_env
from shared.pii.fields import sealed_form
from shared.pii.keystore import sqlite_keystore
from shared.pii.reveal import Revealer
from shared.settings import Settings
from system.demo import submission
from tests.integration.chain_support import Intake, Note

ROUNDS, NOTES, SUBMISSIONS = 3, 500, 500
AT = datetime(2026, 11, 25, tzinfo=timezone.utc)


def timed(work, count: int) -> tuple[float, float]:
    """(CPU µs, wall µs) of `work()` ÷ count."""
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return (time.process_time() - cpu) / count * 1e6, (time.perf_counter() - wall) / count * 1e6


def saves(env: dict[str, str]) -> None:
    """NOTES saves of 4 events each: about what a step command stores over the four services."""
    app = Intake(env=env)
    for n in range(NOTES):
        note = Note(f"catatan {n}")
        for k in range(3):
            note.amend(f"catatan {n}.{k}")
        app.save(note)


def chain_us_per_event(tmp: Path) -> tuple[float, float]:
    """Chained save minus the library's own save, per event (SQLite, as the benchmark's system), medians."""
    extra = []
    for r in range(ROUNDS):
        took = {on: timed(lambda on=on: saves(store_env(Settings(persistence="sqlite", data_dir=tmp / f"{on}{r}",
                                                                 event_chain=on), "intake")), NOTES * 4)
                for on in (True, False)}
        extra.append((took[True][0] - took[False][0], took[True][1] - took[False][1]))
    return statistics.median(e[0] for e in extra), statistics.median(e[1] for e in extra)


def sealing_us(tmp: Path) -> tuple[tuple[float, float], tuple[float, float]]:
    """((CPU, wall) of a submission's key made and form sealed, (CPU, wall) of a read opening the name)."""
    keys = sqlite_keystore(tmp / "keys.db")  # a file, as the services' keys.db
    form = {k: v for k, v in submission("sop-c", 1).items() if k != "sop_id"}
    subjects, sealed = [str(uuid.uuid4()) for _ in range(SUBMISSIONS)], []
    sealing = timed(lambda: sealed.extend(sealed_form(form, s, keys.create(s, AT)) for s in subjects), SUBMISSIONS)
    revealer, names = Revealer(keys), [f["applicant"]["name"] for f in sealed] * 4
    return sealing, timed(lambda: [revealer.text(name) for name in names], len(names))


def parts(events_per_step: float, submissions_per_step: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-audit-parts-") as tmp:
        chain = chain_us_per_event(Path(tmp))
        seal, reveal = sealing_us(Path(tmp))
    found = {"events_per_step": events_per_step, "submissions_per_step": submissions_per_step}
    for i, clock in enumerate(("cpu", "wall")):
        found |= {f"chain_{clock}_us_per_event": chain[i], f"seal_{clock}_us_per_submission": seal[i],
                  f"reveal_{clock}_us_per_read": reveal[i],
                  f"estimate_{clock}_ms_per_step": (chain[i] * events_per_step + seal[i] * submissions_per_step
                                                    + reveal[i]) / 1000}
    return found
