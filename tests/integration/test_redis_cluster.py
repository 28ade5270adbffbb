"""The stream machinery on a real three-node Redis Cluster: the relay's script, a follower on
faststream's cluster broker, the trimmer and a dead letter sent back across slots.

What this does not show: the four services started on a cluster. Their broker is `RedisBroker` and
their client `Redis`; faststream 0.7's `RedisClusterBroker` and redis-py's `RedisCluster` are the
drop-in pair this test runs, and the command replies ride on pub/sub, which redis-py 8 offers on
a cluster as a beta.
"""
from __future__ import annotations

import asyncio

import pytest
from faststream.redis import RedisClusterBroker
from redis.asyncio.cluster import RedisCluster

from services.intake.application import Intake
from services.intake.messages import to_message
from shared.contracts import dead_letter_stream, event_stream
from shared.eventstore import store_env
from shared.messaging.deadletters import retry_dead_letter
from shared.messaging.follower import Follower
from shared.messaging.relay import Relay
from shared.messaging.trimming import StreamTrimmer
from shared.roles import Actor
from shared.settings import Settings
from shared.sop.loader import SopLibrary
from tests.integration.redis_cluster import redis_cluster

pytestmark = pytest.mark.integration
PORTAL = Actor(id="portal", name="Portal", roles=("pemohon",))
FORM = {"subject": "Data RKPD", "applicant": {"name": "Budi", "institution": "Dinas PU"}}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with redis_cluster(tmp_path_factory.mktemp("cluster")) as ports:
        yield ports


async def until(check, timeout: float = 20) -> None:
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_relay_follower_trimmer_and_dead_letters_run_on_a_cluster(cluster, tmp_path):
    redis = RedisCluster(host="127.0.0.1", port=cluster[0])
    intake = Intake(SopLibrary.from_directory(), env=store_env(Settings(data_dir=tmp_path), "intake"))
    submitted = [str(intake.submit("sop-b", FORM, PORTAL).id) for _ in range(300)]
    stream = event_stream("cl", "intake")
    relay = Relay(redis, intake, stream, to_message, batch=50)
    while await relay.pump():
        pass
    assert await redis.xlen(stream) == 300  # the position and the XADDs moved in one script, one slot

    seen: list[str] = []
    fails_once = {submitted[7]}

    def apply(batch):
        failed = {}
        for n, m in enumerate(batch):
            if m.case_id in fails_once:
                failed[n] = "refused in this test"
            else:
                seen.append(m.case_id)
        return failed

    parked = dead_letter_stream("cl", "views")
    follower = Follower(redis, "intake", stream, "views", apply, lambda source: 0, parked,
                        max_attempts=1, retry_s=0.01)
    broker = RedisClusterBroker(f"redis://127.0.0.1:{cluster[0]}")
    await follower.subscribe(broker)
    await broker.start()
    try:
        await until(lambda: len(seen) == 299)
        await follower.hint()
        trimmed = (await StreamTrimmer(redis, [stream], [], retain_s=0).run_once())[stream]
        assert trimmed > 0 and await redis.xlen(stream) == 300 - trimmed

        fails_once.clear()
        (entry_id, _), = await redis.xrange(parked)
        await retry_dead_letter(redis, parked, entry_id.decode())  # from one slot's stream to another's
        await until(lambda: len(seen) == 300)
        assert sorted(seen) == sorted(submitted) and await redis.xlen(parked) == 0
    finally:
        await broker.stop()
        await redis.aclose()
