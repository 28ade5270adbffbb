"""`sop verify`: every service's stored log walked against its hash chain, read-only, straight from the
stores: intact with head and count per service, or the first broken link named (position and kind)."""
from __future__ import annotations

import json
from dataclasses import asdict

import typer
from rich.markup import escape
from rich.table import Table

from shared.chain.stores import SERVICES, open_store
from shared.chain.verify import Verdict, verify
from system.cli_errors import fail
from system.cli_settings import settings
from system.console import console, progress_bars


def verify_command(as_json: bool = typer.Option(False, "--json", help="print JSON, for scripts")) -> None:
    """Check every service's event log against its hash chain: an edited, deleted, inserted or reordered
    event is named by its position. Compare the heads with the published ones (the `chain-heads` stream,
    the register book) to catch a rewrite of a whole chain. Exits 1 when a link is broken."""
    s = settings()
    if s.persistence == "memory":
        fail("the event stores live in the services' memory (SOP_PERSISTENCE=memory): nothing stored to verify")
    verdicts: dict[str, Verdict | None] = {}
    with progress_bars() as bars:
        for service in SERVICES:
            store = open_store(s, service)
            if store is None:
                verdicts[service] = None
                continue
            task = bars.add_task(service, total=None)
            try:
                verdicts[service] = verify(store, progress=lambda n, t=task: bars.update(t, completed=n))
            finally:
                store.close()
    intact = all(v is None or v.intact for v in verdicts.values())
    if as_json:
        typer.echo(json.dumps({"intact": intact, "services": {
            name: None if v is None else asdict(v) | {"intact": v.intact} for name, v in verdicts.items()}}, indent=2))
    else:
        show(verdicts, intact)
    if not intact:
        raise typer.Exit(1)


def show(verdicts: dict[str, Verdict | None], intact: bool) -> None:
    table = Table("service", "events", "head at", "head hash", "chain", title="Event logs against their hash chains")
    for name, v in verdicts.items():
        if v is None:
            table.add_row(name, "—", "—", "—", "[dim]no store yet[/]")
        elif not v.chained:
            table.add_row(name, "—", "—", "—", "[yellow]not chained: start the service once, it links every event[/]")
        else:
            status = "[green]intact[/]" if v.intact else f"[red]{v.broken.kind} at position {v.broken.position}[/]"
            table.add_row(name, f"{v.count:,}", str(v.head_position), v.head_hash, status)
    console.print(table)
    for v in verdicts.values():
        if v is not None and v.broken is not None:
            console.print(f"  [red]broken[/] {v.service} ({escape(v.where)}), position {v.broken.position}: "
                          f"{v.broken.kind}: {escape(v.broken.detail)}; the {v.count:,} links before it hold")
    console.print("[bold green]intact[/]: every stored event is the one chained at its position" if intact
                  else "[bold red]broken[/]: see above")
