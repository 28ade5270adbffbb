"""The Redis keys that sit beside a stream, laid out for Redis Cluster.

A key's slot is the CRC16 of its hash tag (the text inside its first `{…}`), or of the whole key when it
has none. Each key below is tagged with the full name of its stream, so it lands in the stream's own
slot: the relay's script (position and XADDs in one step) and the trimmer's reads never cross slots,
while the streams themselves keep their plain names (the AsyncAPI document reads `{x}` as a parameter)
and each stream, with everything that belongs to it, spreads to a slot of its own.
"""
from __future__ import annotations


def relay_position_key(stream: str) -> str:
    """The last notification of the source's log that its relay put on `stream`."""
    return f"{{{stream}}}:relay-position"


def follower_hint_key(stream: str, group: str) -> str:
    """The last entry of `stream` that `group` has applied: where its next reader starts."""
    return f"{{{stream}}}:follower:{group}"


def followers_key(stream: str) -> str:
    """The groups that read `stream` in order without a consumer group: the trimmer waits for each."""
    return f"{{{stream}}}:followers"
