"""`sop audit export`: every stored event of a period, with actor, role, decision, times and the hash-chain
links, for inspectors: read straight from the stores (as `sop verify` does), written as JSONL, CSV or PDF."""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from pathlib import Path

import typer

from shared.agency import agency
from shared.chain.export import export, period_instants
from shared.chain.export_formats import to_csv, to_jsonl, to_pdf
from system.cli_errors import fail
from system.cli_settings import settings
from system.console import console

audit = typer.Typer(help="The audit log for inspectors.", no_args_is_help=True)


class Format(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    pdf = "pdf"


@audit.command("export")
def export_command(period_from: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD"),
                   period_to: str = typer.Option(..., "--to", help="Last day, YYYY-MM-DD (included)"),
                   fmt: Format = typer.Option(Format.jsonl, "--format", help="jsonl (with the stored bytes), csv or pdf"),
                   out: Path = typer.Option(None, help="File to write; default audit_<from>_<to>.<format>")) -> None:
    """Every stored event of every service recorded in the period, in each service's order, with its chain
    link: the README shows how an inspector checks the chain from the JSONL."""
    start, end = day(period_from, "--from"), day(period_to, "--to")
    if end < start:
        fail(f"the period ends ({end}) before it starts ({start})", 2)
    s = settings()
    if s.persistence == "memory":
        fail("the event stores live in the services' memory (SOP_PERSISTENCE=memory): nothing stored to export")
    zone = agency().tz
    rows = list(export(s, *period_instants(start, end, zone), with_state=fmt is Format.jsonl))
    content = {Format.jsonl: to_jsonl, Format.csv: to_csv}[fmt](rows) if fmt is not Format.pdf \
        else to_pdf(rows, f"Ekspor audit {start} s.d. {end}", zone)
    path = out or Path(f"audit_{start}_{end}.{fmt.value}")
    try:
        path.write_bytes(content)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror}; choose another --out")
    services = sorted({r["service"] for r in rows})
    console.print(f"wrote {path}: {len(rows):,} events of {', '.join(services) or 'no service'} "
                  f"({len(content):,} bytes)")


def day(text: str, option: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        fail(f"{option} {text!r} is not a day written YYYY-MM-DD", 2)
