"""The page a citizen's phone shows when it opens a document's QR code: Indonesian, mobile friendly, and
naming the document only (kind, number, date, status), never the applicant. API clients that ask for
JSON (or do not ask for HTML) get the JSON answer unchanged."""
from __future__ import annotations

import json
from datetime import datetime
from html import escape
from typing import Any

from shared.agency import agency

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Verifikasi dokumen</title>
<style>body{{font-family:system-ui,sans-serif;margin:0;background:#f4f6f5;color:#1d1d1d}}
main{{max-width:34rem;margin:0 auto;padding:1.25rem}}h1{{font-size:1.25rem;margin:.2rem 0 1rem}}
.verdict{{border-radius:.6rem;padding:1rem;font-size:1.1rem;font-weight:600;background:{color};color:#fff}}
dl{{background:#fff;border-radius:.6rem;padding:1rem;margin-top:1rem}}dt{{color:#555;font-size:.85rem}}
dd{{margin:0 0 .7rem;font-size:1rem;word-break:break-all}}small{{color:#555}}</style></head>
<body><main><small>{agency}</small><h1>Verifikasi dokumen</h1><div class="verdict">{verdict}</div>{details}
<p><small>Halaman ini hanya menyebut dokumen, tidak memuat data pemohon. Untuk memastikan berkas PDF yang Anda
pegang tidak diubah, bandingkan sidik SHA-256-nya dengan yang tercantum di atas.</small></p></main></body></html>"""


def wants_html(accept: str | None) -> bool:
    """A browser asks for text/html first; an API client sends application/json or */* and keeps its JSON."""
    accept = (accept or "").lower()
    html, json_at = accept.find("text/html"), accept.find("application/json")
    return html >= 0 and (json_at < 0 or html < json_at)


def tanggal(value: Any) -> str:
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return escape(str(value))
    at = at.astimezone(agency().tz) if at.tzinfo else at  # the agency's day (WIB), not UTC's
    return f"{at.day} {MONTHS[at.month - 1]} {at.year}"


def verify_html(answer: bytes, status: int, agency: str) -> str:
    """The JSON answer of GET /verify/{case}/{kind}/{revision} as the page: genuine, signed or draft, or not found."""
    try:
        body = json.loads(answer)
    except ValueError:
        body = {}
    document = body.get("document") if status == 200 else None
    if not document:
        return PAGE.format(agency=escape(agency), color="#9b2c2c", details="",
                           verdict="Dokumen tidak ditemukan: kode QR ini tidak menunjuk dokumen yang diterbitkan.")
    state = document.get("status", "issued")
    verdict = {"draft": "Asli, tetapi masih KONSEP: belum ditandatangani dan bukan naskah dinas yang sah.",
               "signed": "Asli dan sudah ditandatangani.", "issued": "Asli: dokumen ini diterbitkan."}[state]
    rows = [("Jenis dokumen", document.get("title")), ("Nomor", document.get("number") or "(belum bernomor)"),
            ("Tanggal terbit", tanggal(document.get("issued_at"))), ("Status", document.get("status_label")),
            ("Revisi", f"{document.get('revision')}" + ("" if document.get("current") else
                                                         f" (sudah ada revisi {document.get('latest_revision')})")),
            ("Sidik SHA-256", document.get("sha256") or "belum dibuat (PDF belum pernah diunduh)")]
    details = "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in rows) + "</dl>"
    return PAGE.format(agency=escape(agency), color="#8a6d00" if state == "draft" else "#1f6f43",
                       verdict=verdict, details=details)
