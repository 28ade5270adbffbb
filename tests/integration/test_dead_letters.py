"""Dead letters on the real Redis, by the library and by `sop dead-letters` as an operator types it."""
from __future__ import annotations

import getpass
import json
from datetime import datetime, timezone

import pytest
import redis as sync_redis
from redis.asyncio import Redis
from typer.testing import CliRunner

from shared.contracts import dead_letter_stream, event_stream
from shared.messaging.deadletters import drop_dead_letter, dropped_stream, list_dead_letters, list_dropped
from system.cli import app
from system.console import console

pytestmark = pytest.mark.integration
# A long group name: the whole STREAM/ID must still be printed, or it cannot be pasted into --retry.
GROUP = "documents-register-v3-with-a-rather-long-group-name"


def park(url: str, prefix: str, case: str = "case-1") -> str:
    """A message as a follower parks it (shared/messaging/follower.py park)."""
    client = sync_redis.Redis.from_url(url)
    entry = client.xadd(dead_letter_stream(prefix, GROUP), {
        "type": "StepCompleted", "case_id": case, "payload": b'{"position": 7}',
        "original_stream": event_stream(prefix, "routing"), "original_id": "1-0", "group": GROUP,
        "deliveries": 5, "error": "ValueError: cannot apply\nsecond line of the error"})
    client.close()
    return f"{dead_letter_stream(prefix, GROUP)}/{entry.decode()}"


def sop(url: str, prefix: str, *args: str):
    return CliRunner().invoke(app, ["dead-letters", *args], env={"SOP_REDIS_URL": url, "SOP_STREAM_PREFIX": prefix})


async def test_a_dropped_dead_letter_is_gone_and_its_drop_is_on_record(clean_redis, prefix):
    redis = Redis.from_url(clean_redis)
    stream, _, entry_id = park(clean_redis, prefix).rpartition("/")
    at = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)
    await drop_dead_letter(redis, prefix, stream, entry_id, "case withdrawn by the applicant", "operator-1", at)
    assert await list_dead_letters(redis, prefix) == []  # nor is the record of the drop listed as parked
    [record] = await list_dropped(redis, prefix)
    assert (record["reason"], record["dropped_by"], record["dropped_at"]) == (
        "case withdrawn by the applicant", "operator-1", at.isoformat())
    assert (record["dead_letter_stream"], record["dead_letter_id"], record["case_id"], record["group"]) == (
        stream, entry_id, "case-1", GROUP)
    [(_, kept)] = await redis.xrange(dropped_stream(prefix))
    assert kept[b"payload"] == b'{"position": 7}'  # what was given up, whole
    with pytest.raises(KeyError):
        await drop_dead_letter(redis, prefix, stream, entry_id, "again", "operator-1")
    await redis.aclose()


def test_the_list_shows_every_whole_stream_and_id_also_on_a_narrow_terminal(clean_redis, prefix, monkeypatch):
    monkeypatch.setattr(console, "width", 60)
    names = [park(clean_redis, prefix, f"case-{n}") for n in range(3)]
    result = sop(clean_redis, prefix)
    assert result.exit_code == 0 and "3 dead letters" in result.output, result.output
    assert all(name in result.output for name in names)
    listed = json.loads(sop(clean_redis, prefix, "--json").stdout)
    assert [f"{r['dead_letter_stream']}/{r['id']}" for r in listed] == names


def test_retry_sends_it_back_marked_for_the_group_that_parked_it(clean_redis, prefix):
    name = park(clean_redis, prefix)
    result = sop(clean_redis, prefix, "--retry", name)
    assert result.exit_code == 0 and "requeued" in result.output, result.output
    client = sync_redis.Redis.from_url(clean_redis)
    [(_, fields)] = client.xrange(event_stream(prefix, "routing"))
    assert fields[b"retried_for"] == GROUP.encode() and client.xlen(name.rpartition("/")[0]) == 0
    client.close()


@pytest.mark.parametrize("args", [["--retry", "bogus"], ["--retry", "x.deadletter.views/1-0"],
                                  ["--drop", "{prefix}.deadletter.views/1-0"],  # no reason
                                  ["--retry", "{prefix}.deadletter.views/1-0"]])  # no such entry
def test_a_wrong_entry_or_a_missing_reason_is_one_line_naming_it(clean_redis, prefix, args):
    result = sop(clean_redis, prefix, *(a.format(prefix=prefix) for a in args))
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and result.output.startswith("error: "), result.output


def test_drop_from_the_command_line_records_who_and_why(clean_redis, prefix):
    name = park(clean_redis, prefix)
    result = sop(clean_redis, prefix, "--drop", name, "--reason", "duplicate of a message already applied")
    assert result.exit_code == 0 and "dropped" in result.output, result.output
    assert "0 dead letters" in sop(clean_redis, prefix).output
    shown = sop(clean_redis, prefix, "--dropped")
    assert "duplicate of a message already applied" in shown.output and getpass.getuser() in shown.output
    [record] = json.loads(sop(clean_redis, prefix, "--dropped", "--json").stdout)
    assert f"{record['dead_letter_stream']}/{record['dead_letter_id']}" == name
