"""`sop report`: capaian kinerja of a period, asked of the SLA service, on screen or as a file."""
from __future__ import annotations

from pathlib import Path

import httpx
import typer
from rich.table import Table

from system.console import console


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
