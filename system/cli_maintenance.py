"""`sop replay` and `sop dead-letters`: the operator's commands against a running system's Redis."""
from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

import typer
from rich.table import Table

from system.console import console


def _redis_url(data_dir: Path) -> str:
    url = os.environ.get("SOP_REDIS_URL") or os.environ.get("REDIS_URL")
    saved = data_dir / "redis.url"
    if url:
        return url
    if saved.exists():
        return saved.read_text().strip()
    raise typer.BadParameter("no Redis: set REDIS_URL, or start the system with `sop up` first")


def replay() -> None:
    """Rebuild the register, audit trails and SLA figures from event 1 into fresh storage and compare with the live
    ones; render every document revision again from the log and compare its SHA-256 with the one on record."""
    from datetime import date

    from services.intake.views.replay import replay_views
    from services.intake.views.store import views_path
    from services.sla.calendar_settings import CalendarSettings, build_calendar
    from services.sla.replay import replay_sla
    from shared.runtime import connect_redis
    from shared.settings import Settings
    from shared.sop.loader import DEFAULT_DIR, SopLibrary

    settings = Settings()
    url = _redis_url(settings.data_dir)
    library = SopLibrary.from_directory(settings.sop_dir or DEFAULT_DIR)
    calendar = build_calendar(CalendarSettings(), around=date.today())

    async def both(tmp: Path) -> list[tuple[str, object, float]]:
        redis, done = connect_redis(url), []
        for name, run in (
            ("register and audit trails", lambda: replay_views(redis, settings.stream_prefix, views_path(settings),
                                                               tmp / "views.db")),
            ("SLA figures", lambda: replay_sla(redis, settings.stream_prefix, settings.data_dir, library, calendar,
                                               tmp / "sla.db")),
        ):
            started = time.perf_counter()
            done.append((name, await run(), time.perf_counter() - started))
        await redis.aclose()
        return done

    with tempfile.TemporaryDirectory() as tmp:
        reports = asyncio.run(both(Path(tmp)))
    for name, report, seconds in reports:
        console.print(f"{name}: replayed {report.events} events ({report.applied} distinct) in {seconds:.2f} s; "
                      f"rows: {report.rows}")
        for table, lines in report.differences.items():
            for line in lines:
                console.print(f"  [red]{table}[/] {line}")
    documents = _rerender_documents(settings)
    if not all(report.identical for _, report, _ in reports) or not documents:
        raise typer.Exit(1)
    console.print("[bold green]identical[/]: every rebuilt read model equals the live one, "
                  "every document renders again to the bytes on record")


def _rerender_documents(settings) -> bool:
    """Every document revision rendered again from the documents' own log, on every core; True when all are
    identical (the fields of each, and the bytes of each one fetched before)."""
    from services.documents.application import Documents
    from services.documents.bootstrap import issuer
    from services.documents.replay import rerender_all
    from shared.eventstore import store_env

    if settings.persistence == "memory":
        console.print("documents: kept in memory by the running service; nothing to re-render from here")
        return True
    started = time.perf_counter()
    report = rerender_all(Documents(issuer(settings), env=store_env(settings, "documents")))
    console.print(f"documents: re-rendered {report.revisions} revisions from the log in "
                  f"{time.perf_counter() - started:.2f} s ({report.rendered} fetched before, their bytes compared)")
    for line in report.differences:
        console.print(f"  [red]differs[/] {line}")
    return report.identical


def dead_letters(retry: str = typer.Option(None, help="STREAM/ID of a dead letter to put back")) -> None:
    """List parked poison messages, or put one back on its stream."""
    from shared.messaging.deadletters import list_dead_letters, retry_dead_letter
    from shared.runtime import connect_redis
    from shared.settings import Settings

    settings = Settings()
    redis = connect_redis(_redis_url(settings.data_dir))
    if retry:
        stream, _, entry_id = retry.rpartition("/")
        console.print(f"requeued as {asyncio.run(retry_dead_letter(redis, stream, entry_id))}")
        return
    rows = asyncio.run(list_dead_letters(redis, settings.stream_prefix))
    table = Table("stream/id", "type", "case", "deliveries", "error", title=f"{len(rows)} dead letters")
    for r in rows:
        table.add_row(f"{r['dead_letter_stream']}/{r['id']}", r.get("type", ""), r.get("case_id", ""),
                      r.get("deliveries", ""), r.get("error", ""))
    console.print(table)
