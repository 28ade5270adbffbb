"""Wakes the reads that wait for the read model to move, instead of each polling it."""
from __future__ import annotations

import asyncio
from collections.abc import Callable

from shared.contracts import EventMessage


class Pulse:
    """Beats after every batch the views follower applies. A read waiting for its own write
    (`?min_version=`, a case just submitted) checks again on the beat, not on a timer: 32 waiting
    clients polling SQLite every 10 ms cost more CPU than the projection they wait for."""

    def __init__(self) -> None:
        self._beat = asyncio.Event()

    def beat(self) -> None:
        self._beat.set()
        self._beat = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        """Until the next beat, or `timeout` seconds (which also covers a beat missed while checking)."""
        try:
            await asyncio.wait_for(self._beat.wait(), timeout)
        except TimeoutError:
            pass

    def after(self, apply: Callable[[list[EventMessage]], dict[int, str]]) -> Callable[[list[EventMessage]], dict[int, str]]:
        def applied_then_beat(batch: list[EventMessage]) -> dict[int, str]:
            try:
                return apply(batch)
            finally:
                self.beat()
        return applied_then_beat
