"""The audit export written out: JSON Lines (every field and the stored bytes, for the inspector's script),
CSV (every field but the bytes) and a PDF for reading (a table per service, its last link at the end)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from shared.chain.export import FIELDS, instant

MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv", "pdf": "application/pdf"}


def to_jsonl(rows: Iterable[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in rows)


def to_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def to_pdf(rows: Iterable[dict[str, Any]], title: str, zone: ZoneInfo) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    from shared.pdf_fonts import BOLD, REGULAR, register_fonts

    register_fonts()
    text = ParagraphStyle("cell", fontName=REGULAR, fontSize=7, leading=8.5)
    heading = ParagraphStyle("h", fontName=BOLD, fontSize=11, leading=14, spaceAfter=4)
    story: list[Any] = [Paragraph(title, ParagraphStyle("t", parent=heading, fontSize=13, leading=16))]
    for service, group in groupby(rows, key=lambda r: r["service"]):
        events = list(group)
        story += [Spacer(1, 4 * mm), Paragraph(f"Layanan {service}: {len(events)} peristiwa, posisi "
                                               f"{events[0]['position']}–{events[-1]['position']}", heading)]
        table = [["posisi", "dicatat", "peristiwa", "pelaku", "peran", "keputusan", "prev_hash", "link_hash"]]
        table += [[str(r["position"]) + ("" if r["in_period"] else "*"), local(r["recorded_at"], zone),
                   Paragraph(r["event_type"], text), Paragraph(r["actor_name"] or r["actor_id"] or "sistem", text),
                   r["role"] or "—", Paragraph(str(r["decision"] or "—"), text),
                   (r["prev_hash"] or "—")[:16], (r["link_hash"] or "tanpa mata rantai")[:16]] for r in events]
        grid = LongTable(table, repeatRows=1, colWidths=[14 * mm, 30 * mm, 42 * mm, 48 * mm, 30 * mm, 32 * mm,
                                                           32 * mm, 32 * mm])
        grid.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 7), ("FONT", (0, 0), (-1, 0), BOLD, 7),
                                  ("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8"))]))
        story += [grid, Spacer(1, 2 * mm), Paragraph(f"Mata rantai terakhir (head): {events[-1]['link_hash']}", text)]
    story.append(Paragraph("* dicatat di luar periode, di antara peristiwa periode ini: disertakan agar rantai "
                           "tidak terputus. Hash lengkap ada di ekspor JSONL/CSV.", text))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                      bottomMargin=12 * mm, title=title, invariant=1).build(story)
    return out.getvalue()


def local(text: str | None, zone: ZoneInfo) -> str:
    at = instant(text)
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") if at else "—"
