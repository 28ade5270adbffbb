"""The parts of the monitoring form around its tables: the kop, the heading fields, the penilai's signature."""
from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from services.sla.report_format import tanggal
from shared.http.sla_api import Kop, Report
from shared.pdf_fonts import BOLD, CELL_FONT, REGULAR
from shared.pdf_kop import DoubleRule

SIGNATURE_WIDTH = 85 * mm


def style(size: float, bold: bool = False, align: int = 0, color: colors.Color = colors.black) -> ParagraphStyle:
    return ParagraphStyle(f"k{size}{bold}{align}{color}", fontName=BOLD if bold else REGULAR, fontSize=size,
                          leading=size * 1.3, alignment=align, textColor=color)


def p(text: str, st: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), st)


def kop(letterhead: Kop) -> list[Flowable]:
    lines = [p(letterhead.government, style(12, True, TA_CENTER)), p(letterhead.agency, style(14, True, TA_CENTER)),
             p(letterhead.address, style(8.5, align=TA_CENTER))]
    if letterhead.contact:
        lines.append(p(letterhead.contact, style(8.5, align=TA_CENTER)))
    return [*lines, Spacer(1, 1.5 * mm), DoubleRule(), Spacer(1, 4 * mm)]


def fields(rows: list[tuple[str, str]]) -> Table:
    st = style(8.5)
    table = Table([[p(label, st), p(":", st), p(value, st)] for label, value in rows],
                  colWidths=[35 * mm, 4 * mm, 180 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([CELL_FONT, ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)]))
    return table


def signature(report: Report) -> list[Flowable]:
    """Right-aligned, as an Indonesian form is signed: place and date, Penilai, jabatan, name, NIP."""
    who, st = report.penilai, style(9, align=TA_CENTER)
    lines: list[Flowable] = [p(f"{report.kop.city}, {tanggal(report.monitoring_date)}", st), p("Penilai,", st),
                             p(who.jabatan, st), Spacer(1, 16 * mm),
                             Paragraph(f"<b><u>{escape(who.name)}</u></b>", st)]
    if who.rank:
        lines.append(p(who.rank, st))
    lines.append(p(f"NIP. {who.nip}", st))
    if who.example:
        lines.append(p("DATA CONTOH: nama dan NIP penilai belum diisi (berkas staf, SOP_STAFF_FILE)",
                       style(7, True, TA_CENTER, colors.HexColor("#b71c1c"))))
    block = Table([[lines]], colWidths=[SIGNATURE_WIDTH], hAlign="RIGHT")
    block.setStyle(TableStyle([CELL_FONT, ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 4 * mm), block]
