"""Commands to routing and its answers, over one reply channel this process subscribes to once.

faststream's `broker.request` opens a pub/sub subscription for every request and closes it after:
three more round trips to Redis and a pooled connection held per command in flight. Here the gateway
publishes each command with `reply_to` naming its own channel and a correlation id, and routing's
subscriber answers there as it would for `request`; the answer finds its waiting command by that id.
"""
from __future__ import annotations

import asyncio
import os
import socket
from uuid import uuid4

from faststream.redis import RedisBroker
from faststream.redis.annotations import RedisMessage

from shared.contracts import CaseCommand, CommandResult, StepCommand


class Replies:
    def __init__(self, broker: RedisBroker, prefix: str):
        self.broker = broker
        self.channel = f"{prefix}.replies.{socket.gethostname()}-{os.getpid()}"
        self.waiting: dict[str, asyncio.Future[CommandResult]] = {}

        @broker.subscriber(channel=self.channel, title="command replies")
        async def on_reply(result: CommandResult, message: RedisMessage) -> None:
            waiting = self.waiting.pop(message.correlation_id, None)
            if waiting is not None and not waiting.done():
                waiting.set_result(result)

    async def request(self, command: StepCommand | CaseCommand, stream: str, timeout: float) -> CommandResult:
        """Routing's answer; TimeoutError when none came in `timeout` seconds (it may still apply)."""
        correlation_id = uuid4().hex
        answer = self.waiting[correlation_id] = asyncio.get_running_loop().create_future()
        try:
            await self.broker.publish(command, stream=stream, reply_to=self.channel, correlation_id=correlation_id)
            return await asyncio.wait_for(answer, timeout)
        finally:
            self.waiting.pop(correlation_id, None)
