"""What an applicant reads about their request, in Indonesian, built from the register row and the SLA
service's dates: the step it is at, what happens next, the standard and statutory dates. Never who applied,
the subject or any note: whoever holds the number and the code learns only where the request stands."""
from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from shared.agency import agency
from shared.sop.loader import SopLibrary

OUTCOMES = {"completed": "Selesai: permohonan telah dilayani",
            "not_this_division": "Selesai: permohonan bukan kewenangan bidang yang dituju",
            "incomplete": "Selesai: berkas permohonan tidak lengkap", "refused": "Selesai: permohonan ditolak"}
STATUS = {"submitted": "Diterima", "open": "Sedang diproses", "paused": "Ditunda sementara", "closed": "Selesai"}


def status_of_request(row: dict[str, Any], library: SopLibrary, sla: dict[str, Any] | None) -> dict[str, Any]:
    sop = library.get(row["sop_id"], row["sop_version"])
    step = sop.step(row["current_step"]) if row["current_step"] is not None and not row["outcome"] else None
    clock = (sla or {}).get("clock") or {}
    visit = next((v for v in reversed((sla or {}).get("visits", [])) if step and v["step"] == step.number
                  and v["completed_at"] is None), None)
    if row["outcome"]:
        next_text = OUTCOMES.get(row["outcome"], "Selesai")
    elif row["paused_since"]:
        next_text = "Proses dihentikan sementara, misalnya menunggu kelengkapan dari pemohon; akan dilanjutkan kembali."
    elif step is None:
        next_text = "Permohonan diterima dan sedang dicatat pada buku register."
    elif step.role == "pemohon":
        next_text = f"Menunggu Anda: {step.text}."
    else:
        title = sop.roles.get(step.role) or agency().roles.get(step.role, step.role)
        next_text = f"{title}: {step.text} (baku mutu waktu {step.standard_time.label()})."
    return {
        "register_number": row["register_number"], "service": sop.title, "status": row["status"],
        "status_text": STATUS[row["status"]], "registered_on": row["registered_on"],
        "step": step.number if step else None, "step_text": step.text if step else None,
        "next": next_text, "standard_time": step.standard_time.label() if step else None,
        "step_due_at": visit["due_at"] if visit else None, "sop_due_at": clock.get("sop_due_at"),
        "statutory_basis": clock.get("statutory_basis"), "statutory_due_at": clock.get("statutory_due_at"),
        "deadline_extended": bool(row["deadline_extended"]), "closed_on": row["closed_on"],
    }


def local(instant: str | None) -> str:
    """An instant as the agency's day and time (WIB/WITA as its zone says), for a person."""
    if not instant:
        return "-"
    return datetime.fromisoformat(instant).astimezone(agency().tz).strftime("%d-%m-%Y %H:%M")


def status_html(s: dict[str, Any]) -> str:
    lines = [("Nomor register", s["register_number"]), ("Layanan", s["service"]), ("Status", s["status_text"]),
             ("Tanggal diterima", s["registered_on"]), ("Tahap", f"{s['step']}: {s['step_text']}" if s["step"] else "-"),
             ("Selanjutnya", s["next"]), ("Baku mutu waktu tahap ini", s["standard_time"] or "-"),
             ("Batas waktu tahap ini", local(s["step_due_at"])), ("Batas waktu sesuai SOP", local(s["sop_due_at"])),
             ("Batas waktu menurut undang-undang", f"{local(s['statutory_due_at'])} ({s['statutory_basis']}"
              f"{', diperpanjang' if s['deadline_extended'] else ''})" if s["statutory_due_at"] else "-"),
             ("Tanggal selesai", s["closed_on"] or "-")]
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in lines)
    return ("<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            "content=\"width=device-width, initial-scale=1\"><title>Status permohonan</title><style>"
            "body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em}th{text-align:left;"
            "vertical-align:top;padding:.3em 1em .3em 0;width:40%}td{padding:.3em 0}</style></head><body>"
            f"<h1>Status permohonan</h1><p>{html.escape(agency().name)}</p>"
            f"<table>{rows}</table><p><small>Waktu dalam zona {html.escape(str(agency().tz))}. Halaman ini tidak "
            "memuat data pribadi pemohon.</small></p></body></html>")
