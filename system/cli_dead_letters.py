"""`sop dead-letters`: list the parked messages with the STREAM/ID that names each, send one back to the
group that parked it, or drop one for good with a reason that stays on record."""
from __future__ import annotations

import asyncio
import getpass
import json
import re

import typer
from rich.markup import escape
from rich.table import Table

from system.cli_errors import USAGE, fail, one_line, talking_to
from system.cli_settings import REDIS_HINT, redis_url, settings
from system.console import console

ENTRY = typer.Option(None, metavar="STREAM/ID", help="a dead letter as the list names it")


def dead_letters(retry: str = ENTRY, drop: str = ENTRY,
                 reason: str = typer.Option(None, help="why it is dropped (required with --drop; kept on record)"),
                 dropped: bool = typer.Option(False, "--dropped", help="list the dropped ones and why"),
                 as_json: bool = typer.Option(False, "--json", help="print JSON, for scripts")) -> None:
    """List parked poison messages; --retry one (the group that parked it applies it again), or --drop one."""
    from shared.messaging import deadletters as parked

    if retry and drop:
        fail("--retry or --drop, not both", USAGE)
    if drop and not (reason or "").strip():
        fail("--drop needs --reason \"...\": why this message is given up is kept for the auditor", USAGE)
    s = settings()
    prefix, url = s.stream_prefix, redis_url(s)

    async def run(call):
        from shared.runtime import connect_redis

        redis = connect_redis(url)
        try:
            return await call(redis)
        finally:
            await redis.aclose()

    with talking_to("Redis", url, REDIS_HINT):
        if retry or drop:
            stream, entry_id = parse_entry(retry or drop, prefix, "--retry" if retry else "--drop")
            try:
                if retry:
                    new_id = asyncio.run(run(lambda r: parked.retry_dead_letter(r, stream, entry_id)))
                    console.print(f"requeued {stream}/{entry_id} as {new_id} for its group only")
                else:
                    new_id = asyncio.run(run(lambda r: parked.drop_dead_letter(
                        r, prefix, stream, entry_id, reason.strip(), getpass.getuser())))
                    console.print(f"dropped {stream}/{entry_id}; recorded as {parked.dropped_stream(prefix)}/{new_id}")
            except KeyError:
                fail(f"no dead letter {entry_id} in {stream}: `sop dead-letters` lists them")
            return
        rows = asyncio.run(run(lambda r: (parked.list_dropped if dropped else parked.list_dead_letters)(r, prefix)))
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif dropped:
        show_dropped(rows)
    else:
        show_parked(rows)


def parse_entry(value: str, prefix: str, option: str) -> tuple[str, str]:
    stream, _, entry_id = value.rpartition("/")
    if not re.fullmatch(rf"{re.escape(prefix)}\.deadletter\.[A-Za-z0-9_.-]+", stream) \
            or not re.fullmatch(r"[0-9]+-[0-9]+", entry_id):
        fail(f"{option} wants STREAM/ID as `sop dead-letters` lists it, e.g. {prefix}.deadletter.<group>/"
             f"1732612345678-0; got {value!r}", USAGE)
    return stream, entry_id


def show_parked(rows: list[dict[str, str]]) -> None:
    """Each STREAM/ID on a line of its own, never cut short: a table squeezes its columns to the terminal's
    width, and an id cut short cannot be pasted into --retry or --drop."""
    console.print(f"[bold]{len(rows)} dead letters[/]" + (": pass a STREAM/ID to --retry or --drop" if rows else ""))
    for r in rows:
        console.print(f"{r['dead_letter_stream']}/{r['id']}", soft_wrap=True, highlight=False, markup=False)
        console.print(f"    {escape(r.get('type', '?'))}  case {escape(r.get('case_id', '?'))}  "
                      f"{escape(r.get('deliveries', '?'))} deliveries  [red]{escape(one_line(r.get('error', ''), 300))}[/]",
                      highlight=False)


def show_dropped(rows: list[dict[str, str]]) -> None:
    table = Table("dropped at", "by", "was", "type", "case", "reason", title=f"{len(rows)} dropped dead letters")
    for r in rows:
        table.add_row(r.get("dropped_at", ""), r.get("dropped_by", ""),
                      f"{r.get('dead_letter_stream', '')}/{r.get('dead_letter_id', '')}", r.get("type", ""),
                      r.get("case_id", ""), r.get("reason", ""))
    console.print(table)
