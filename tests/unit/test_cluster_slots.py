"""Every key a multi-key step touches hashes to its stream's slot, so Redis Cluster can run it."""
from __future__ import annotations

from redis.crc import key_slot

from shared.contracts import SERVICES, case_command_stream, command_stream, event_stream
from shared.messaging.keys import follower_hint_key, followers_key, relay_position_key


def test_the_keys_beside_each_stream_share_its_slot():
    streams = [event_stream("sop", s) for s in SERVICES] + [command_stream("sop"), case_command_stream("sop")]
    for stream in streams:
        slot = key_slot(stream.encode())
        for key in (relay_position_key(stream), followers_key(stream), follower_hint_key(stream, "intake-views-v2")):
            assert key_slot(key.encode()) == slot, (stream, key)


def test_streams_spread_over_slots_rather_than_one():
    slots = {key_slot(event_stream("sop", s).encode()) for s in SERVICES}
    assert len(slots) == len(SERVICES)
