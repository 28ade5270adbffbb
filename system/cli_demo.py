"""`sop demo`: every SOP along every branch through the HTTP API, then what a new user looks at."""
from __future__ import annotations

from pathlib import Path

import httpx
import typer
from rich.table import Table

from system.cli_errors import talking_to
from system.cli_settings import API_HINT, api_url, settings
from system.console import console


def demo(api: str = typer.Option(None, help="The intake API; default from SOP_HOST and SOP_INTAKE_PORT"),
         pdfs: Path = typer.Option(None, help="Save every document here; default: <data dir>/demo-documents")) -> None:
    """Drive all three SOPs along every branch through the HTTP API; print the register and every case's documents,
    save their PDFs and the register book, and verify a reply letter and a tampered copy of it."""
    s = settings()
    base = api_url(api, s)
    with talking_to("the API", base, API_HINT):
        run_demo(base, pdfs or s.data_dir / "demo-documents")


def run_demo(api: str, pdfs: Path) -> None:
    from system.demo import every_item, left_open_too_long, run_scenario, scenarios

    with httpx.Client(base_url=api, timeout=15) as client:
        cases, first = [], {}
        for n, scenario in enumerate(scenarios(), start=1):
            case_id = run_scenario(client, scenario, n, first if n == 1 else None)
            cases.append((case_id, scenario))
            trail = every_item(client, f"/cases/{case_id}/audit", "petugas_tu")
            console.print(f"{scenario.sop_id} {scenario.title:<40} → {scenario.outcome:<18} "
                          f"{len(trail)} audit entries  case {case_id}")
        show_register(every_item(client, "/register", "petugas_tu"))
        show_documents(client, cases, pdfs)
        console.print(f"The applicant's status page of {first['register_number']} (code {first['tracking_code']}, "
                      f"printed on its buku tamu): {api}/track/{first['register_number']}?code={first['tracking_code']}")
        console.print("SLA: a request registered 3 days ago and left at step 2 …")
        escalation = left_open_too_long(client)
        console.print(f"  step {escalation['step']} ({escalation['from_role']}) breached its standard at "
                      f"{escalation['raised_at']}; escalated to [bold]{escalation['to_role']}[/]'s inbox")


def show_documents(client: httpx.Client, cases: list, folder: Path) -> None:
    from datetime import datetime

    from shared.agency import agency
    from system.demo_documents import (expected_kinds, save_documents, save_register_book, settled_documents,
                                       verify_original_and_tampered)
    from shared.sop.loader import SopLibrary

    library, letter = SopLibrary.from_directory(), None
    table = Table("No. register", "SOP", "dokumen (revisi)", "disimpan di", title="Dokumen setiap permohonan")
    for case_id, scenario in cases:
        signed = any(step == 10 for step, _, _ in scenario.moves)
        listed = settled_documents(client, case_id, expected_kinds(library, scenario), signed)
        register_number = client.get(f"/cases/{case_id}", headers=auth_clerk()).json()["register_number"]
        target = folder / register_number.replace("/", "-")
        save_documents(client, listed, target)
        table.add_row(register_number, scenario.sop_id, ", ".join(f"{d['kind']} ({d['revision']})" for d in listed),
                      str(target))
        letter = letter or next((d for d in listed if d["kind"] == "surat_jawaban" and d["number"]), None)
    console.print(table)
    today = datetime.now(agency().tz).date()  # the agency's day, as the register dates its cases
    book = save_register_book(client, folder, today)
    console.print(f"Buku register of today ({today}, {agency().zone}): {', '.join(str(p) for p in book)}")
    if letter:
        original, tampered = verify_original_and_tampered(client, client.get(letter["download"],
                                                                              headers=auth_clerk()).content)
        console.print(f"Verify surat jawaban {letter['number']} (QR: {letter['verify_url']}): original → "
                      f"genuine={original['genuine']}; one byte changed → genuine={tampered['genuine']}")


def auth_clerk() -> dict[str, str]:
    from system.demo import auth

    return auth("petugas_tu")


def show_register(rows: list[dict]) -> None:
    table = Table("No. register", "tanggal", "pemohon", "SOP", "perihal", "status", "hasil", "selesai",
                  title="Buku Register")
    for r in rows:
        table.add_row(r["register_number"], r["registered_on"], r["applicant"]["name"], r["sop_id"], r["subject"],
                      r["status"], r["outcome"] or "", r["closed_on"] or "")
    console.print(table)
