"""Commands to routing answered on the gateway's own reply channel, against the real Redis."""
from __future__ import annotations

import asyncio

import pytest
from faststream.redis import RedisBroker, StreamSub
from redis.asyncio import Redis

from services.intake.replies import Replies
from shared.contracts import CommandResult, StepCommand, command_stream

pytestmark = pytest.mark.integration


def command(n: int) -> StepCommand:
    return StepCommand(command_id=f"c{n}", case_id=f"case-{n}", step=n, decision="ok", actor_id="a",
                       actor_name="A", actor_roles=("petugas_tu",))


async def test_each_answer_reaches_the_command_that_asked_and_silence_is_a_timeout(clean_redis, prefix):
    broker = RedisBroker(clean_redis)
    stream = command_stream(prefix)
    redis = Redis.from_url(clean_redis)
    await redis.xgroup_create(stream, "routing", id="0", mkstream=True)
    await redis.aclose()

    @broker.subscriber(stream=StreamSub(stream, group="routing", consumer="r1"))
    async def routing(c: StepCommand) -> CommandResult:
        await asyncio.sleep(0.01)
        return CommandResult(ok=True, case={"case_id": c.case_id, "step": c.step})

    replies = Replies(broker, prefix)
    await broker.start()
    answers = await asyncio.gather(*(replies.request(command(n), stream, 5) for n in range(1, 21)))
    assert [a.case["step"] for a in answers] == list(range(1, 21))
    assert replies.waiting == {}  # nothing left behind

    with pytest.raises(TimeoutError):
        await replies.request(command(1), f"{prefix}.nobody-listens", 0.2)
    assert replies.waiting == {}
    await broker.stop()
