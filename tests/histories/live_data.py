"""What the recorder reads of a running system's data folder, read-only, beside the services writing it."""
from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

from shared.chain.stores import SERVICES


def settle(data: Path, quiet_s: float = 3, timeout_s: float = 60) -> None:
    """Waits until no store and no read model has changed for `quiet_s`: every follower has caught up."""
    def fingerprint() -> tuple:
        stores = tuple(count(data / f"{service}.db", "stored_events") for service in SERVICES)
        return stores + tuple(count(data / f.name, "processed") for f in sorted(data.glob("*-views-v*.db")))
    deadline, last, since = time.monotonic() + timeout_s, None, time.monotonic()
    while time.monotonic() < deadline:
        now = fingerprint()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return
        time.sleep(0.5)
    raise TimeoutError("the system did not settle")


def count(path: Path, table: str) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def topics(path: Path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [t for (t,) in db.execute("SELECT topic FROM stored_events")]


def commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                           cwd=Path(__file__).parent)
    return found.stdout.strip()
