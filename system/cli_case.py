"""`sop case show ID [--as-of …]`: a case through the gateway, now or as it stood at an instant: its state,
the step current then and who could act, the audit trail up to then, the SLA clocks as they stood, and the
document revisions issued by then. Built by the services from their logs (`?as_of=`), printed here."""
from __future__ import annotations

import json
from typing import Any

import httpx
import typer
from rich.markup import escape
from rich.table import Table

from system.cli_errors import fail, talking_to
from system.cli_settings import API_HINT, api_url, settings
from system.console import console

case = typer.Typer(help="One case: now, or as it stood at an instant.", no_args_is_help=True)


@case.command("show")
def show_command(case_id: str = typer.Argument(..., help="The case's id (a UUID)"),
                 as_of: str = typer.Option(None, "--as-of", help="An instant with its UTC offset, e.g. "
                                           "2026-03-02T10:15:00+07:00: the case as the log had recorded it by then"),
                 api: str = typer.Option(None, help="The gateway; default SOP_HOST:SOP_INTAKE_PORT"),
                 key: str = typer.Option(None, envvar="SOP_API_KEY", help="Bearer key of a role that may read the case"),
                 as_json: bool = typer.Option(False, "--json", help="print the answers as JSON, for scripts")) -> None:
    """A case's state, audit trail, SLA clocks and documents, now or --as-of an instant."""
    if not key:
        fail("give a key that may read the case: --key or SOP_API_KEY")
    base = api_url(api, settings())
    found = {part: read(base, key, case_id, path, as_of) for part, path in
             (("case", ""), ("sla", "/sla"), ("documents", "/documents"))}
    if as_json:
        typer.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    print_case(found["case"], as_of)
    print_sla(found["sla"])
    print_documents(found["documents"])


def read(base: str, key: str, case_id: str, path: str, as_of: str | None) -> Any:
    params = {"as_of": as_of} if as_of else {}
    if path == "/documents":
        params["limit"] = 100
    with talking_to("the API", base, API_HINT):
        answer = httpx.get(f"{base}/cases/{case_id}{path}", params=params,
                           headers={"Authorization": f"Bearer {key}"}, timeout=30)
        answer.raise_for_status()
    return answer.json()


def print_case(c: dict[str, Any], as_of: str | None) -> None:
    when = f"as of {c['as_of']}" if c.get("as_of") else "now"
    summary = Table("", "", show_header=False, title=f"Case {c['register_number']} ({when})")
    current = c.get("current")
    for label, value in (("case", c["case_id"]), ("SOP", f"{c['sop_id']} v{c['sop_version']}"),
                         ("subject", c["subject"]), ("status", c["status"]), ("outcome", c["outcome"]),
                         ("current step", current and f"{current['step']}: {current['text_en']}"),
                         ("who may act", current and current["role"]),
                         ("decisions", current and ", ".join(d["id"] for d in current["decisions"])),
                         ("paused", c["paused"]), ("deadline extended", c["deadline_extended"])):
        summary.add_row(label, escape(str(value if value is not None else "—")))
    console.print(summary)
    trail = Table("recorded", "source", "event", "step", "actor (role)", "decision", title="Audit trail")
    for e in c["history"]:
        actor = e["actor"]
        trail.add_row(e["recorded_at"], e["source"], e["type"], str(e["step"] or ""),
                      escape(f"{actor['name']} ({actor['role']})") if actor else "", e["decision"] or "")
    console.print(trail)


def print_sla(s: dict[str, Any]) -> None:
    judged = "elapsed_seconds" in (s["visits"][0] if s["visits"] else {})
    table = Table("step", "role", "started", "due", "completed", "used (h)", "late",
                  title="SLA clocks" + (f" as of {s['as_of']}" if judged else ""))
    for v in s["visits"]:
        used = v["elapsed_seconds"] if judged else v["working_seconds"]
        late = v["overdue"] if judged else (None if v["on_time"] is None else not v["on_time"])
        table.add_row(str(v["step"]), v["role"], v["started_at"], v["due_at"], v["completed_at"] or "—",
                      "—" if used is None else f"{used / 3600:.2f}", "—" if late is None else ("yes" if late else "no"))
    console.print(table)


def print_documents(d: dict[str, Any]) -> None:
    table = Table("document", "revisions", "number", "issued", title="Documents")
    for doc in d["items"]:
        table.add_row(escape(doc["title"]), str(len(doc["revisions"])), doc["number"] or "—", doc["issued_at"])
    console.print(table)
