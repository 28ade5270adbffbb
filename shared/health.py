"""What /health answers for one service process: alive while it answers, ready only while it can take
work (Redis answers, every subscriber and background task runs, every consumer group it reads exists,
nothing sits pending unclaimed, it is not stopping). A problem is named in words an operator can act on."""
from __future__ import annotations

from typing import Any

from prometheus_client import Gauge

from shared.messaging.commands import claim_after_ms
from shared.messaging.groups import forget_dead_consumers, group_state

FORGET_CONSUMERS_AFTER_MS = 15 * 60 * 1000  # a live consumer polls every second; one silent this long is gone


class HealthChecks:
    def __init__(self, runtime: Any):  # shared.runtime.Runtime, untyped here: that module imports this one
        self.runtime = runtime
        self.stuck_after_ms = 3 * claim_after_ms(runtime.settings.command_timeout_s)
        self.pending = Gauge("sop_command_pending", "Commands delivered to a process of the group and not yet "
                             "acknowledged", ["stream", "group"], registry=runtime.registry)
        self.stuck = Gauge("sop_command_stuck", "Pending commands no live process has claimed in three claim "
                           "periods", ["stream", "group"], registry=runtime.registry)

    async def report(self) -> dict[str, Any]:
        rt, problems = self.runtime, []
        try:
            await rt.redis.ping()
            redis_ok = True
        except Exception:  # health must answer even when Redis does not
            redis_ok = False
            problems.append("Redis does not answer")
        alive = all(not t.done() for t in rt.tasks)
        if not alive:
            problems.append("a background task (relay or watcher) has stopped")
        problems += [f"the subscriber of {getattr(sub, 'stream_sub', None) and sub.stream_sub.name} stopped"
                     for sub in rt.broker.subscribers if not sub.running]
        if rt.stopping.is_set():
            problems.append("stopping")
        if redis_ok:
            problems += await self.group_problems()
        return {"service": rt.service, "status": "degraded" if problems else "ok", "ready": not problems,
                "redis": redis_ok, "background_tasks_running": alive, "problems": problems}

    async def group_problems(self) -> list[str]:
        found = []
        for stream, group in self.runtime.command_groups():
            state = await group_state(self.runtime.redis, stream, group, self.stuck_after_ms)
            self.pending.labels(stream, group).set(state.pending)
            self.stuck.labels(stream, group).set(state.stuck)
            if not state.exists:
                found.append(f"consumer group {group} of {stream} is missing")
            elif state.stuck:
                found.append(f"{state.stuck} entries of {stream} pending in {group} for over "
                             f"{self.stuck_after_ms // 1000} s")
        return found

    async def tend_groups(self) -> None:
        """Every round of the watcher: the gauges, and the consumers of dead processes deleted."""
        await self.group_problems()
        for stream, group in self.runtime.command_groups():
            await forget_dead_consumers(self.runtime.redis, stream, group, FORGET_CONSUMERS_AFTER_MS,
                                        keep=self.runtime.consumer_name)
