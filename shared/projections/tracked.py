"""A read model that applies each published event exactly once: the mark in `processed` and the
fold's effect commit in one transaction. SQLite or PostgreSQL (shared/sql/): the same SQL on both."""
from __future__ import annotations

from shared.contracts import EventMessage
from shared.sql.place import Place, open_db

PROCESSED = "CREATE TABLE IF NOT EXISTS processed (source TEXT, position INTEGER, PRIMARY KEY (source, position));"
MARK = "INSERT INTO processed VALUES (?, ?) ON CONFLICT DO NOTHING"


class TrackedStore:
    schema = ""

    def __init__(self, place: Place):
        self.db = open_db(place)
        if self.db.dialect == "sqlite":
            # WAL + NORMAL stays consistent after a crash; a power cut may lose the last commits, and
            # then their `processed` marks go with them, so the events are applied again.
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.script(PROCESSED + self.schema)

    def apply(self, m: EventMessage) -> bool:
        """Applies one event once; False when it was applied before."""
        with self.db.transaction():  # rolls back if the fold raises: neither mark nor effect is kept
            return self._apply_once(m)

    def apply_batch(self, messages: list[EventMessage]) -> dict[int, str]:
        """Applies a batch in one transaction, each event once; answers {index: error} of those whose
        fold raised. Tried first as one plain transaction; only when a fold raises is the batch applied
        again with a savepoint per event, so that event alone is rolled back and the rest commits
        (savepoints cost two statements an event, a third of a rebuild's time)."""
        try:
            with self.db.transaction():
                for m in messages:
                    self._apply_once(m)
            return {}
        except Exception:  # noqa: BLE001 - a fold raised (find which, keep the rest), or the store
            return self._apply_each_alone(messages)  # did: then this raises too, and the follower retries

    def _apply_once(self, m: EventMessage) -> bool:
        if not self.db.execute(MARK, (m.source, m.position)).rowcount:
            return False
        self.fold(m)
        return True

    def _apply_each_alone(self, messages: list[EventMessage]) -> dict[int, str]:
        failed: dict[int, str] = {}
        with self.db.transaction():
            for n, m in enumerate(messages):
                self.db.execute("SAVEPOINT one")
                try:
                    self._apply_once(m)
                except Exception as exc:  # noqa: BLE001 - the follower retries it, then parks it
                    self.db.execute("ROLLBACK TO SAVEPOINT one")
                    failed[n] = f"{type(exc).__name__}: {exc}"
                self.db.execute("RELEASE SAVEPOINT one")
        return failed

    def head(self, source: str) -> int:
        """The highest position applied from `source`: where its follower carries on."""
        return self.db.execute("SELECT MAX(position) FROM processed WHERE source = ?", (source,)).fetchone()[0] or 0

    def heads(self) -> dict[str, int]:
        """The highest position applied from each source: how far this store has read."""
        return dict(self.db.execute("SELECT source, MAX(position) FROM processed GROUP BY source").fetchall())

    def fold(self, m: EventMessage) -> None:
        raise NotImplementedError
