"""The Idempotency-Key record on the real Redis: claimed once, replayed, refused on another route or
body, held while in flight, taken over when its first attempt died, forgotten after a server error."""
from __future__ import annotations

import pytest
from redis.asyncio import Redis

from services.intake.idempotency import IdempotencyKeys, command_id
from shared.http.errors import ApiError

pytestmark = pytest.mark.integration
ROUTE, BODY = "POST /cases/c1/steps/2", {"decision": "registered"}


@pytest.fixture
async def keys(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    yield lambda in_flight_s=30.0: IdempotencyKeys(redis, prefix, ttl_s=60, in_flight_s=in_flight_s)
    await redis.aclose()


async def test_the_first_answer_is_replayed_to_the_same_credential_only(keys):
    store = keys()
    claim = await store.claim("tu-siti", ROUTE, "k1", BODY)
    assert claim.answer is None
    await store.settle(claim, ROUTE, BODY, 200, {"version": 4})
    assert (await store.claim("tu-siti", ROUTE, "k1", BODY)).answer == (200, {"version": 4})
    assert (await store.claim("kabid-andi", ROUTE, "k1", BODY)).answer is None  # another credential's key


async def test_another_route_or_body_is_refused(keys):
    store = keys()
    await store.settle(await store.claim("tu-siti", ROUTE, "k2", BODY), ROUTE, BODY, 200, {})
    for route, body in (("POST /cases/c1/steps/4", BODY), (ROUTE, {"decision": "registered", "note": "x"})):
        with pytest.raises(ApiError) as refused:
            await store.claim("tu-siti", route, "k2", body)
        assert (refused.value.status_code, refused.value.code) == (422, "idempotency_key_reused")


async def test_in_flight_is_held_then_taken_over_and_a_server_error_is_forgotten(keys):
    held = keys(in_flight_s=30)
    await held.claim("tu-siti", ROUTE, "k3", BODY)
    with pytest.raises(ApiError) as busy:
        await held.claim("tu-siti", ROUTE, "k3", BODY)
    assert (busy.value.status_code, busy.value.code) == (409, "idempotency_key_in_use")
    abandoned = keys(in_flight_s=0)  # the first attempt's process died before it answered
    retry = await abandoned.claim("tu-siti", ROUTE, "k3", BODY)
    assert retry.answer is None
    await abandoned.settle(retry, ROUTE, BODY, 504, {"error": "routing_timeout"})
    assert (await held.claim("tu-siti", ROUTE, "k3", BODY)).answer is None  # a 5xx is not kept


def test_the_command_id_routing_deduplicates_on_is_scoped_like_the_key():
    assert command_id("tu-siti", ROUTE, "k") == command_id("tu-siti", ROUTE, "k")
    assert len({command_id("tu-siti", ROUTE, "k"), command_id("kabid-andi", ROUTE, "k"),
                command_id("tu-siti", "POST /cases/c1/steps/4", "k")}) == 3
