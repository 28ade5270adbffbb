"""A read model that applies each published event exactly once: the mark in `processed` and the
fold's effect commit in one transaction. SQLite or PostgreSQL (shared/sql/): the same SQL on both."""
from __future__ import annotations

from shared.contracts import EventMessage
from shared.sql.place import Place, open_db

PROCESSED = "CREATE TABLE IF NOT EXISTS processed (source TEXT, position INTEGER, PRIMARY KEY (source, position));"
MARK = "INSERT INTO processed VALUES (?, ?)"
IN_LIST = 500  # positions looked up in one statement: well under either database's limit of parameters


class TrackedStore:
    schema = ""

    def __init__(self, place: Place):
        self.db = open_db(place)
        if self.db.dialect == "sqlite":
            # WAL + NORMAL stays consistent after a crash; a power cut may lose the last commits, and
            # then their `processed` marks go with them, so the events are applied again.
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.script(PROCESSED + self.schema)

    def scratch(self) -> None:
        """This is a rebuild's fresh copy, read by nothing before it is complete and deleted when lost: SQLite
        may keep its rollback journal in memory and skip its syncs (rollback still works, which a fold that
        raises needs; PostgreSQL keeps its own)."""
        if self.db.dialect == "sqlite":
            self.db.execute("PRAGMA journal_mode=MEMORY")
            self.db.execute("PRAGMA synchronous=OFF")

    def apply(self, m: EventMessage) -> bool:
        """Applies one event once; False when it was applied before."""
        with self.db.transaction():  # rolls back if the fold raises: neither mark nor effect is kept
            return bool(self._apply_new([m]))

    def apply_batch(self, messages: list[EventMessage]) -> dict[int, str]:
        """Applies a batch in one transaction, each event once; answers {index: error} of those whose
        fold raised. Tried first as one plain transaction, its marks and folds written a batch at a time;
        only when a fold raises is the batch applied again with a savepoint per event, so that event alone
        is rolled back and the rest commits (savepoints cost two statements an event)."""
        try:
            with self.db.transaction():
                self._apply_new(messages)
            return {}
        except Exception:  # noqa: BLE001 - a fold raised (find which, keep the rest), or the store
            return self._apply_each_alone(messages)  # did: then this raises too, and the follower retries

    def _apply_new(self, messages: list[EventMessage]) -> list[EventMessage]:
        """Marks and folds the messages not applied before (nor earlier in the batch); answers them."""
        done, new = self._applied(messages), []
        for m in messages:
            if (m.source, m.position) not in done:
                done.add((m.source, m.position))
                new.append(m)
        self.db.executemany(MARK, [(m.source, m.position) for m in new])
        self.fold_many(new)
        return new

    def _applied(self, messages: list[EventMessage]) -> set[tuple[str, int]]:
        """Which of the messages' (source, position) are marked already: one look-up per few hundred."""
        wanted = sorted({(m.source, m.position) for m in messages})
        found: set[tuple[str, int]] = set()
        for source in {s for s, _ in wanted}:
            positions = [p for s, p in wanted if s == source]
            for start in range(0, len(positions), IN_LIST):
                some = positions[start:start + IN_LIST]
                sql = f"SELECT position FROM processed WHERE source = ? AND position IN ({', '.join('?' * len(some))})"
                found.update((source, p) for (p,) in self.db.execute(sql, [source, *some]))
        return found

    def _apply_each_alone(self, messages: list[EventMessage]) -> dict[int, str]:
        failed: dict[int, str] = {}
        with self.db.transaction():
            for n, m in enumerate(messages):
                self.db.execute("SAVEPOINT one")
                try:
                    self._apply_new([m])
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

    def fold_many(self, messages: list[EventMessage]) -> None:
        """Folds new messages in their order: one at a time, unless a store writes a batch's rows together."""
        for m in messages:
            self.fold(m)
