"""The Formulir Monitoring Pelaksanaan SOP (Permenpan RB 35/2012) as an A4-landscape PDF.

Under the kop: the period, the monitoring date, the penilai; per SOP a table with one row per step the
agency carries out (kegiatan, pelaksana, mutu baku waktu, how many done and on time, capaian, whether the
standard is met, catatan, tindakan) and its conclusion; the penilai's signature; the chart as the last
page. reportlab with `invariant=1` and embedded DejaVu Sans, as the documents service's letters: the
same report gives the same bytes.
"""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, Image, KeepTogether, PageBreak, PageTemplate, Paragraph,
                                Spacer, Table, TableStyle)

from services.sla.report_chart import render
from services.sla.report_form_parts import fields, kop, signature
from services.sla.report_format import NONE, period_label, share, tanggal
from shared.http.sla_api import MonitoringRow, Report
from shared.pdf_fonts import BOLD, CELL_FONT, REGULAR, register_fonts

PAGE, MARGIN = landscape(A4), 15 * mm
GRID, HEAD_FILL, SUM_FILL = colors.HexColor("#808080"), colors.HexColor("#e6e6e6"), colors.HexColor("#f4f4f4")
MISS = colors.HexColor("#b71c1c")
# (header, width in mm): 267 mm between the margins
COLUMNS = (("No", 8), ("Kegiatan", 60), ("Pelaksana", 31), ("Mutu baku waktu", 16), ("Selesai", 14),
           ("Tepat waktu", 14), ("Belum selesai, lewat standar", 18), ("Capaian", 15),
           ("Memenuhi standar (Ya/Tidak)", 19), ("Catatan", 36), ("Tindakan yang harus diambil", 36))


def style(size: float, bold: bool = False, align: int = 0, color: colors.Color = colors.black,
          **kw: float) -> ParagraphStyle:
    return ParagraphStyle(f"f{size}{bold}{align}{color}{kw}", fontName=BOLD if bold else REGULAR, fontSize=size,
                          leading=size * 1.3, alignment=align, textColor=color, **kw)


CELL, HEAD, MID, MID_BOLD = style(7), style(7, True, TA_CENTER), style(7, align=TA_CENTER), style(7, True, TA_CENTER)


def p(text: object, st: ParagraphStyle = CELL) -> Paragraph:
    # "80 %" never breaks between the number and its sign
    return Paragraph(escape(str(text)).replace(" %", "\u00a0%").replace("\n", "<br/>"), st)


def judged(value: str | None) -> Paragraph:
    return p(value or NONE, style(7, True, TA_CENTER, MISS) if value == "Tidak" else MID_BOLD)


def sop_table(sop: MonitoringRow) -> Table:
    body = [[p(head, HEAD) for head, _ in COLUMNS]]
    for s in sop.langkah:
        body.append([p(f"{s.no}.", MID), p(f"Langkah {s.step}: {s.kegiatan}"), p(s.pelaksana), p(s.mutu_baku_waktu, MID),
                     p(s.count, MID), p(s.on_time, MID), p(s.overdue_at_end, MID), p(s.capaian, MID),
                     judged(s.penilaian), p(s.catatan), p(s.tindakan)])
    body.append([p("Kesimpulan SOP", style(7, True)), "", "", "", "", "", "", p(sop.capaian, MID_BOLD),
                 judged(sop.dilaksanakan), p(sop.catatan), p(sop.tindakan)])
    last = len(body) - 1
    table = Table(body, colWidths=[w * mm for _, w in COLUMNS], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([CELL_FONT, ("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                               ("SPAN", (0, last), (6, last)), ("NOSPLIT", (0, last - 1), (-1, last)), ("BACKGROUND", (0, last), (-1, last), SUM_FILL),
                               ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    return table


def render_form(report: Report) -> bytes:
    register_fonts()
    period = period_label(report.period_from, report.period_to)
    story = kop(report.kop) + [
        p("FORMULIR MONITORING PELAKSANAAN SOP", style(13, True, TA_CENTER)),
        p("Capaian kinerja Standar Operasional Prosedur (Peraturan Menteri PANRB Nomor 35 Tahun 2012)",
          style(9, align=TA_CENTER)), Spacer(1, 4 * mm),
        fields([("Unit kerja", report.kop.short_name), ("Periode", period),
                ("Tanggal monitoring", tanggal(report.monitoring_date)),
                ("Penilai", f"{report.penilai.jabatan}, {report.penilai.name}"),
                ("Target capaian", f"{share(report.on_time_target)} langkah selesai dalam mutu baku waktu")]),
        Spacer(1, 2 * mm),
        p("Capaian = selesai tepat waktu ÷ (selesai + belum selesai yang melewati standar pada akhir periode). "
          "Langkah pemohon (pengajuan, penerimaan hasil) bukan pekerjaan unit kerja dan tidak dinilai.",
          style(7.5, color=colors.HexColor("#424242"))), Spacer(1, 4 * mm)]
    for sop in report.monitoring:
        # A heading with no room for the table's head and first rows under it starts the next page.
        story += [CondPageBreak(45 * mm), p(f"{sop.no}. {sop.prosedur}", style(9.5, True, spaceAfter=1.5 * mm)),
                  sop_table(sop), Spacer(1, 5 * mm)]
    story.append(KeepTogether(signature(report)))
    chart = render(report, "png", dpi=200)
    height = PAGE[1] - 12 * mm - 15 * mm - 12 * mm  # the frame, less the heading
    width = min(PAGE[0] - 2 * MARGIN, height * 11.69 / 8.27)
    story += [PageBreak(), p("Lampiran: grafik capaian kinerja", style(10, True)), Spacer(1, 2 * mm),
              Image(io.BytesIO(chart), width=width, height=width * 8.27 / 11.69)]
    title = f"Formulir Monitoring Pelaksanaan SOP, {period}"

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7)
        canvas.drawString(MARGIN, 8 * mm, f"{title} · {report.kop.short_name}")
        canvas.drawRightString(PAGE[0] - MARGIN, 8 * mm, f"halaman {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=12 * mm,
                          bottomMargin=15 * mm, title=title, author=report.kop.short_name, subject=title,
                          creator="sop-case-backend", invariant=1, pageCompression=1)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, leftPadding=0, rightPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=footer)])
    doc.build(story)
    return out.getvalue()
