"""Paragraph styles and the small table shapes every paper here uses, in the embedded DejaVu Sans."""
from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from services.documents.rendering.fonts import BOLD, REGULAR, register_fonts
from shared.pdf_fonts import CELL_FONT

register_fonts()  # before any style or paragraph names the faces
GRID = colors.HexColor("#808080")
HEADER_FILL = colors.HexColor("#e6e6e6")


def style(size: float = 10, bold: bool = False, align: int = 0, leading: float | None = None, **kw: Any):
    return ParagraphStyle(f"s{size}{bold}{align}", fontName=BOLD if bold else REGULAR, fontSize=size,
                          leading=leading or size * 1.35, alignment=align, **kw)


BODY, BOLD_BODY, SMALL, SMALL_BOLD = style(10), style(10, True), style(8), style(8, True)
JUSTIFIED, CENTER = style(10, align=TA_JUSTIFY, spaceAfter=6), style(10, align=TA_CENTER)


def para(value: Any, st: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), st)


def fields_table(rows: list[tuple[str, str]], width: float, label_width: float = 45 * mm,
                 st: ParagraphStyle = BODY) -> Table:
    table = Table([[para(label, st), para(":", st), para(value, st)] for label, value in rows],
                  colWidths=[label_width, 4 * mm, width - label_width - 4 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table
