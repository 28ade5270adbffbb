"""`sop replay`: every read model rebuilt from event 1 and every document rendered again, compared with the
live ones, with a progress bar each; a table on screen, or --json."""
from __future__ import annotations

import asyncio
import json
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from system.cli_errors import talking_to
from system.cli_settings import REDIS_HINT, redis_url, settings
from system.console import console, progress_bars


def replay(as_json: bool = typer.Option(False, "--json", help="print JSON, for scripts")) -> None:
    """Rebuild the register, audit trails and SLA figures from event 1 into fresh storage and compare with the live
    ones; render every document revision again from the log and compare its SHA-256 with the one on record.
    Exits 1 when anything differs."""
    s = settings()
    url = redis_url(s)
    with progress_bars() as bars:
        with talking_to("Redis", url, REDIS_HINT), tempfile.TemporaryDirectory() as tmp:
            models = asyncio.run(read_models(s, url, Path(tmp), bars))
        documents = rerender_documents(s, bars)
    found = {"read_models": models, "documents": documents,
             "identical": all(m["identical"] for m in models) and (documents or {}).get("identical", True)}
    if as_json:
        typer.echo(json.dumps(found, indent=2, ensure_ascii=False))
    else:
        show(found, s.persistence)
    if not found["identical"]:
        raise typer.Exit(1)


def bar(bars: Progress, description: str):
    task = bars.add_task(description, total=None)
    return lambda done, total: bars.update(task, completed=done, total=total)


async def read_models(s, url: str, tmp: Path, bars: Progress) -> list[dict[str, Any]]:
    from datetime import date

    from services.intake.views.replay import replay_views
    from services.intake.views.store import views_path
    from shared.calendar_settings import CalendarSettings, build_calendar
    from services.sla.projection import sla_views_place
    from services.sla.replay import replay_sla
    from shared.replay import StreamSource
    from shared.runtime import connect_redis
    from shared.sop.loader import DEFAULT_DIR, SopLibrary
    from system.stored_messages import StoreSource

    library = SopLibrary.from_directory(s.sop_dir or DEFAULT_DIR)
    calendar = build_calendar(CalendarSettings(), around=date.today())
    redis, done = connect_redis(url), []
    # From event 1 of each service's own store: the streams are trimmed. Stores in a service's memory
    # can only be read back from the streams.
    source = StreamSource(redis, s.stream_prefix) if s.persistence == "memory" else StoreSource(s, library)
    try:
        for name, run in (
            ("register and audit trails", lambda p: replay_views(source, views_path(s), tmp / "views.db", progress=p)),
            ("SLA figures",
             lambda p: replay_sla(source, sla_views_place(s), library, calendar, tmp / "sla.db", progress=p)),
        ):
            started = time.perf_counter()
            report = await run(bar(bars, name))
            done.append({"name": name, "events": report.events, "distinct": report.applied, "rows": report.rows,
                         "seconds": round(time.perf_counter() - started, 2), "identical": report.identical,
                         "differences": {t: lines for t, lines in report.differences.items() if lines}})
    finally:
        if isinstance(source, StoreSource):
            source.close()
        await redis.aclose()
    return done


def rerender_documents(s, bars: Progress) -> dict[str, Any] | None:
    """Every document revision rendered again from the documents' own log, on every core (None when the
    documents live in the memory of the running service)."""
    from services.documents.application import Documents
    from services.documents.bootstrap import issuer
    from services.documents.replay import rerender_all
    from shared.eventstore import store_env

    if s.persistence == "memory":
        return None
    started = time.perf_counter()
    report = rerender_all(Documents(issuer(s), env=store_env(s, "documents")), progress=bar(bars, "documents"))
    return asdict(report) | {"seconds": round(time.perf_counter() - started, 2), "identical": report.identical}


def show(found: dict[str, Any], persistence: str) -> None:
    yes_no = {True: "[green]yes[/]", False: "[red]no[/]"}
    models = Table("read model", "events read", "distinct", "rows per table", "seconds", "identical",
                   title="Read models rebuilt from event 1")
    for m in found["read_models"]:
        models.add_row(m["name"], f"{m['events']:,}", f"{m['distinct']:,}",
                       ", ".join(f"{t} {n:,}" for t, n in m["rows"].items()), f"{m['seconds']:.2f}",
                       yes_no[m["identical"]])
    console.print(models)
    differences = [f"{m['name']}: {t}: {line}" for m in found["read_models"] for t, lines in m["differences"].items()
                   for line in lines]
    if (d := found["documents"]) is None:
        console.print(f"documents: kept in memory by the running service (SOP_PERSISTENCE={persistence}); "
                      "nothing to render again from here")
    else:
        documents = Table("revisions", "fetched before (bytes compared)", "erased (not made again)", "seconds",
                          "identical", title="Documents rendered again from the log")
        documents.add_row(f"{d['revisions']:,}", f"{d['rendered']:,}", f"{d['erased']:,}", f"{d['seconds']:.2f}",
                          yes_no[d["identical"]])
        console.print(documents)
        differences += [f"documents: {line}" for line in d["differences"]]
    for line in differences:
        console.print(f"  [red]differs[/] {escape(line)}")
    console.print("[bold green]identical[/]: every rebuilt read model equals the live one, every document renders "
                  "again to the bytes on record" if found["identical"] else "[bold red]differences[/]: listed above")
