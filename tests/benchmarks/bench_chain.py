"""`make bench-chain`: what the hash chain costs and how fast `sop verify` walks, on SQLite and PostgreSQL.

- saving: events/s of one save per aggregate of 10 events, with the chained recorders against the
  library's own, alternating in the same run (the chain's share of the store's write cost);
- verify: events/s of the walk of `sop verify` against reading the same log through the recorder and
  decoding every event into its domain object (goal: ≥ 0.5×).
"""
from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from rich.console import Console
from rich.table import Table

from shared.chain.stores import open_store
from shared.chain.verify import verify
from shared.eventstore import store_env
from shared.settings import Settings
from tests.integration.chain_support import Intake, Note

AGGREGATES, ROUNDS = 1000, 3
RUN = f"benchchain{uuid.uuid4().hex[:8]}"  # this run's schemas, dropped after


def save_rate(env: dict[str, str]) -> float:
    app = Intake(env=env)
    started = time.perf_counter()
    for n in range(AGGREGATES):
        note = Note(f"catatan {n}")
        for k in range(9):
            note.amend(f"catatan {n}.{k}")
        app.save(note)
    return AGGREGATES * 10 / (time.perf_counter() - started)


def read_decode_rate(app: Intake) -> tuple[float, int]:
    started, after, count = time.perf_counter(), 0, 0
    while rows := app.recorder.select_notifications(after, 2000, inclusive_of_start=False):
        for row in rows:
            app.mapper.to_domain_event(row)
        count, after = count + len(rows), rows[-1].id
    return count / (time.perf_counter() - started), count


def verify_rate(settings: Settings) -> tuple[float, int]:
    store = open_store(settings, "intake")
    started = time.perf_counter()
    verdict = verify(store)
    store.close()
    assert verdict.intact
    return verdict.count / (time.perf_counter() - started), verdict.count


def run(persistence: str, tmp: Path) -> list[str]:
    chained, plain = [], []
    for r in range(ROUNDS):
        for name, rates in (("chained", chained), ("plain", plain)):
            s = Settings(persistence=persistence, data_dir=tmp / f"{name}{r}", postgres_schema_prefix=f"{RUN}{name}{r}")
            env = store_env(s, "intake")
            rates.append(save_rate(env if name == "chained" else
                                   {k: v for k, v in env.items() if not k.endswith("RECORDER_TOPIC")}))
    s = Settings(persistence=persistence, data_dir=tmp / "chained0", postgres_schema_prefix=f"{RUN}chained0")
    verified, n = verify_rate(s)
    decoded, _ = read_decode_rate(Intake(env=store_env(s, "intake")))
    c, p = statistics.median(chained), statistics.median(plain)
    return [persistence, f"{c:,.0f}", f"{p:,.0f}", f"{(p - c) / p:.1%}", f"{verified:,.0f}", f"{decoded:,.0f}",
            f"{verified / decoded:.2f}×", f"{n:,}"]


def main() -> None:
    table = Table("store", "save chained ev/s", "save plain ev/s", "chain's cost", "verify ev/s",
                  "read+decode ev/s", "verify/read", "events", title="Hash chain: cost and verify rate")
    with tempfile.TemporaryDirectory() as tmp:
        for persistence in ("sqlite", "postgres"):
            try:
                table.add_row(*run(persistence, Path(tmp)))
            finally:
                if persistence == "postgres":
                    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="test", autocommit=True) as c:
                        for (schema,) in c.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (f"{RUN}%",)).fetchall():
                            c.execute(f'DROP SCHEMA "{schema}" CASCADE')
    Console(width=150).print(table)


if __name__ == "__main__":
    main()
