"""`sop report`: capaian kinerja of a period, asked of the SLA service, on screen, as JSON or as a file.

On screen every list of records the answer holds is a table, its columns the records' fields: the
report's content belongs to the SLA service, and a field it adds shows up here without a change."""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Any

import httpx
import typer
from rich.markup import escape
from rich.table import Table

from system.cli_errors import fail, one_line, talking_to
from system.cli_settings import SLA_HINT, settings, sla_url
from system.console import console

# Headings for the fields known today, in the agency's language; any other field is headed by its name.
HEADINGS = {"sop_id": "SOP", "step": "langkah", "role": "peran", "standard": "standar", "count": "selesai",
            "on_time_pct": "tepat waktu %", "median_hours": "median j", "p90_hours": "p90 j",
            "open_at_end": "terbuka", "overdue_at_end": "terlambat", "no": "No", "prosedur": "Prosedur",
            "dilaksanakan": "Dilaksanakan", "catatan": "Catatan", "tindakan": "Tindakan", "kegiatan": "kegiatan",
            "pelaksana": "pelaksana", "title": "nama SOP", "cases": "permohonan"}
TITLES = {"rows": "Capaian kinerja per SOP, langkah dan peran (jam kerja)", "monitoring": "Monitoring SOP"}


class Format(str, Enum):
    json = "json"
    csv = "csv"
    png = "png"
    pdf = "pdf"


def report(period_from: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD"),
           period_to: str = typer.Option(..., "--to", help="Last day, YYYY-MM-DD (included)"),
           fmt: Format = typer.Option(Format.json, "--format", help="json (a table on screen), csv, png or pdf"),
           out: Path = typer.Option(None, help="File to write; default capaian-kinerja_<from>_<to>.<format>"),
           target: float = typer.Option(0.8, min=0, max=1, help="On-time share an SOP must reach to run well"),
           api: str = typer.Option(None, help="The SLA service (or the gateway, with --key); default from "
                                              "SOP_SLA_URL or SOP_HOST:SOP_SLA_PORT"),
           key: str = typer.Option(None, envvar="SOP_API_KEY", help="Bearer key, needed through the gateway"),
           as_json: bool = typer.Option(False, "--json", help="print the JSON answer, for scripts")) -> None:
    """Capaian kinerja for a period (Permenpan RB 35/2012 monitoring): a table on screen, or a CSV/PNG/PDF file."""
    base = sla_url(api, settings())
    params = {"from": period_from, "to": period_to, "format": fmt.value, "target": target}
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    with talking_to("the SLA service", base, SLA_HINT):
        answer = httpx.get(f"{base}/reports/capaian-kinerja", params=params, headers=headers, timeout=120)
        answer.raise_for_status()
    if fmt is not Format.json or out:
        path = out or Path(f"capaian-kinerja_{period_from}_{period_to}.{fmt.value}")
        try:
            path.write_bytes(answer.content)
        except OSError as exc:
            fail(f"cannot write {path}: {exc.strerror}; choose another --out")
        console.print(f"wrote {path} ({len(answer.content):,} bytes)")
    elif as_json:
        typer.echo(answer.text)
    else:
        show(answer.json(), f"{period_from} – {period_to}")


def show(found: dict[str, Any], period: str) -> None:
    for name, value in found.items():
        if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
            console.print(records(value, f"{TITLES.get(name, name)}, {period}"))
        elif isinstance(value, dict):
            console.print(f"{escape(name)}: " + escape(", ".join(f"{k} {cell(v)}" for k, v in value.items())))
        elif not isinstance(value, list):
            console.print(f"{escape(name)}: {escape(cell(value))}")
    console.print("[dim]long texts are shortened here: --json or --format pdf has them whole[/]")


def records(rows: list[dict[str, Any]], title: str, width: int | None = None, short: int = 16) -> Table:
    """One line per record: short fields whole, long texts share the width left and are cut to it
    (rich would squeeze the short ones first); a list inside a record is shown by its length."""
    columns = list(dict.fromkeys(k for r in rows for k in r))  # every field, in the order first seen
    headings = [HEADINGS.get(c, c) for c in columns]
    texts = [[one_line(cell(r.get(c)), 10_000) for c in columns] for r in rows]
    need = [max(len(h), *(len(line[n]) for line in texts)) for n, h in enumerate(headings)]
    fit = {n: w for n, w in enumerate(need) if w <= short}
    spare = (width or console.width) - sum(fit.values()) - 3 * len(columns) - 1  # borders and padding
    long = sorted((n for n in range(len(columns)) if n not in fit), key=need.__getitem__)
    for left, n in enumerate(long):  # the narrowest first: what one does not need, the next ones get
        fit[n] = max(8, min(need[n], spare // (len(long) - left)))
        spare -= fit[n]
    table = Table(title=title)
    for n, heading in enumerate(headings):
        table.add_column(one_line(heading, fit[n]), no_wrap=True, width=fit[n])
    for line in texts:
        table.add_row(*(escape(one_line(text, fit[n])) for n, text in enumerate(line)))
    return table


def cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return f"({len(value)})"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
