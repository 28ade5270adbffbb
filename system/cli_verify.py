"""`sop verify`: every service's stored log walked against its hash chain, read-only, straight from the
stores: intact with head and count per service, or the first broken link named (position and kind).
With SOP_EVENT_CHAIN=false nothing new is linked, so it never answers intact: it says the chain is off."""
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
    the register book) to catch a rewrite of a whole chain. Exits 1 when a link is broken, or when
    chaining is off (SOP_EVENT_CHAIN=false): then nothing vouches for the events."""
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
    # A store chained before the switch was turned off still walks: its links hold up to where they stop.
    intact = s.event_chain and all(v is None or v.intact for v in verdicts.values())
    if as_json:
        typer.echo(json.dumps({"intact": intact, "chain": "on" if s.event_chain else "off", "services": {
            name: None if v is None else asdict(v) | {"intact": v.intact} for name, v in verdicts.items()}}, indent=2))
    else:
        show(verdicts, intact, s.event_chain)
    if not intact:
        raise typer.Exit(1)


def show(verdicts: dict[str, Verdict | None], intact: bool, chain_on: bool = True) -> None:
    table = Table("service", "events", "head at", "head hash", "chain", title="Event logs against their hash chains")
    for name, v in verdicts.items():
        if v is None:
            table.add_row(name, "—", "—", "—", "[dim]no store yet[/]")
        elif not v.chained:
            table.add_row(name, "—", "—", "—", "[yellow]not chained: start the service once, it links every event[/]"
                          if chain_on else "[yellow]no chain: SOP_EVENT_CHAIN=false, events are stored unlinked[/]")
        else:
            status = "[green]intact[/]" if v.intact else f"[red]{v.broken.kind} at position {v.broken.position}[/]"
            table.add_row(name, f"{v.count:,}", str(v.head_position), v.head_hash, status)
    console.print(table)
    for v in verdicts.values():
        if v is not None and v.broken is not None:
            console.print(f"  [red]broken[/] {v.service} ({escape(v.where)}), position {v.broken.position}: "
                          f"{v.broken.kind}: {escape(v.broken.detail)}; the {v.count:,} links before it hold")
    if not chain_on:
        console.print("[bold yellow]chain off[/]: SOP_EVENT_CHAIN=false, the events are stored without hash links, "
                      "so nothing vouches that they are the ones recorded (not verified)")
    else:
        console.print("[bold green]intact[/]: every stored event is the one chained at its position" if intact
                      else "[bold red]broken[/]: see above")
