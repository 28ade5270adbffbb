"""The buku register of a period: an A4-landscape PDF table and a CSV, from the register read model's rows.

Rows are the register projection's (`shared.projections`): register_number, registered_on, applicant,
institution, sop_id (or `sop`, a label), subject, status, outcome, closed_on. The caller picks the period's
rows; the period is printed as given. Deterministic like every rendering here: no clock, invariant PDF.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Spacer, Table, TableStyle

from services.documents.rendering.engine import GRID, HEADER_FILL, build_pdf, kop, para, style
from services.documents.rendering.formatting import fmt, tanggal
from services.documents.rendering.settings import LetterheadSettings
from shared.pdf_fonts import CELL_FONT

# (label, row key, format, relative width)
COLUMNS = (("No. register", "register_number", "text", 2.15), ("Tanggal", "registered_on", "date", 1.1),
           ("Pemohon", "applicant", "text", 1.4), ("Instansi", "institution", "text", 1.35),
           ("SOP", "sop", "text", 0.6), ("Perihal", "subject", "text", 1.9), ("Status", "status", "status", 0.8),
           ("Hasil", "outcome", "outcome", 1.1), ("Tanggal selesai", "closed_on", "date", 1.1))


def _sop(row: dict[str, Any]) -> Any:
    return row.get("sop") or row.get("sop_id")


def _cell(row: dict[str, Any], key: str) -> Any:
    return _sop(row) if key == "sop" else row.get(key)


def render_register(rows: list[dict[str, Any]], period_from: date, period_to: date,
                    letterhead: LetterheadSettings) -> bytes:
    page = landscape(A4)
    width = page[0] - 30 * mm
    head, cell = style(8, True), style(8)
    body = [[para("No.", head)] + [para(label, head) for label, *_ in COLUMNS]]
    for i, row in enumerate(rows, 1):
        body.append([para(f"{i}.", cell)] + [para(fmt(_cell(row, key), f), cell) for _, key, f, _ in COLUMNS])
    total = sum(w for *_, w in COLUMNS)
    widths = [10 * mm] + [(width - 10 * mm) * w / total for *_, w in COLUMNS]
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([CELL_FONT, ("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    period = f"Periode {tanggal(period_from)} s.d. {tanggal(period_to)}"
    story = kop(letterhead) + [para("BUKU REGISTER", style(13, True, TA_CENTER)), para(period, style(10, align=TA_CENTER)),
                               Spacer(1, 5 * mm), table if rows else para("Tidak ada permohonan pada periode ini.")]
    title = f"Buku Register {period}"

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("DejaVuSans", 7)
        canvas.drawString(doc.leftMargin, 8 * mm, f"{title} · {letterhead.short_name}")
        canvas.drawRightString(page[0] - doc.rightMargin, 8 * mm, f"halaman {doc.page}")
        canvas.restoreState()

    return build_pdf(story, pagesize=page, title=title, author=letterhead.short_name, on_page=on_page,
                     bottom_margin=15 * mm, left=15 * mm, right=15 * mm)


def register_csv(rows: list[dict[str, Any]]) -> str:
    """RFC 4180 CSV with the PDF's columns and Indonesian headers, status and outcome as the PDF prints them,
    dates ISO-8601; a UTF-8 byte order mark first, so Excel on Windows reads the accents and the dashes."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["No."] + [label for label, *_ in COLUMNS])
    for i, row in enumerate(rows, 1):
        writer.writerow([i] + [_csv_value(_cell(row, key), kind) for _, key, kind, _ in COLUMNS])
    return "\ufeff" + out.getvalue()


def _csv_value(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return fmt(value, kind) if kind in ("status", "outcome") else value
