"""(template, data, letterhead, verification URL) → A4 PDF bytes, the same bytes for the same inputs.

Deterministic: `invariant=1` (fixed creation date, /ID and subset names), embedded DejaVu Sans, and no clock:
every date or time printed comes from `data`. The footer carries the verification text and a QR code of
`verify_url` (a vector form XObject named `verifyqr`); the PDF cannot print its own SHA-256, so the footer
points to where that hash is kept instead of holding a placeholder.
"""
from __future__ import annotations

import hashlib
import io
import itertools
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table,
                                TableStyle)

from services.documents.rendering.fonts import BOLD, REGULAR, register_fonts
from services.documents.rendering.formatting import EMPTY, fmt, tanggal, waktu
from services.documents.rendering.settings import LetterheadSettings
from services.documents.rendering.templates import Field_, Section, Template, load_template
from shared.pdf_kop import DoubleRule

register_fonts()  # before any style or paragraph names the faces
QR_SIZE = 22 * mm
GRID = colors.HexColor("#808080")
HEADER_FILL = colors.HexColor("#e6e6e6")


def style(size: float = 10, bold: bool = False, align: int = 0, leading: float | None = None, **kw: Any):
    return ParagraphStyle(f"s{size}{bold}{align}", fontName=BOLD if bold else REGULAR, fontSize=size,
                          leading=leading or size * 1.35, alignment=align, **kw)


BODY, BOLD_BODY, SMALL, SMALL_BOLD = style(10), style(10, True), style(8), style(8, True)
JUSTIFIED, CENTER = style(10, align=TA_JUSTIFY, spaceAfter=6), style(10, align=TA_CENTER)


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    sha256: str
    template: str
    template_version: int


def para(value: Any, st: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), st)


def lookup(data: dict[str, Any], key: str | None) -> Any:
    """'applicant.name' reaches into nested dicts; a missing key is None."""
    value: Any = data
    for part in (key or "").split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def value_of(data: dict[str, Any], field: Field_) -> str:
    shown = fmt(lookup(data, field.key), field.format)
    return field.default if shown == EMPTY and field.default else shown


def kop(letterhead: LetterheadSettings) -> list[Flowable]:
    lines = [para(letterhead.government, style(13, True, TA_CENTER)),
             para(letterhead.agency, style(15, True, TA_CENTER, leading=19)),
             para(letterhead.address, style(9, align=TA_CENTER))]
    if letterhead.contact:
        lines.append(para(letterhead.contact, style(9, align=TA_CENTER)))
    return [*lines, Spacer(1, 2 * mm), DoubleRule(), Spacer(1, 6 * mm)]


def fields_table(rows: list[tuple[str, str]], width: float, label_width: float = 45 * mm,
                 st: ParagraphStyle = BODY) -> Table:
    table = Table([[para(label, st), para(":", st), para(value, st)] for label, value in rows],
                  colWidths=[label_width, 4 * mm, width - label_width - 4 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


def grid_table(section: Section, rows: list[dict[str, Any]], width: float, compact: bool = False) -> Table:
    st, head = (style(7.5), style(7.5, True)) if compact else (style(9), style(9, True))
    number_col = 8.5 * mm if compact else 11 * mm  # "No" in the compact header fits on one line
    total = sum(c.width for c in section.columns)
    widths = [number_col] + [(width - number_col) * c.width / total for c in section.columns]
    body = [[para("No" if compact else "No.", head)] + [para(c.label, head) for c in section.columns]]
    for i, row in enumerate(rows, 1):
        body.append([para(f"{i}.", st)] + [para(fmt(lookup(row, c.key), c.format), st) for c in section.columns])
    table = Table(body, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def signature_block(person: Any, caption: str, st: ParagraphStyle = BODY, dated: str | None = None) -> list[Flowable]:
    person = person if isinstance(person, dict) else {}
    small = style(8, align=st.alignment)
    parts: list[Flowable] = [para(dated, st)] if dated else []
    parts.append(para(person.get("position") or caption, st))
    if person.get("signed_at"):
        parts += [Spacer(1, 2 * mm), para(f"Ditandatangani secara elektronik\n{waktu(person['signed_at'])}", small),
                  Spacer(1, 2 * mm)]
    else:
        parts += [Spacer(1, 6 * mm), para("(belum ditandatangani)", small), Spacer(1, 6 * mm)]
    parts.append(Paragraph(f"<b><u>{escape(person.get('name') or EMPTY)}</u></b>", st))
    if person.get("rank"):
        parts.append(para(person["rank"], st))
    if person.get("nip"):
        parts.append(para(f"NIP. {person['nip']}", st))
    return parts


def section_flowables(section: Section, data: dict[str, Any], template: Template, letterhead: LetterheadSettings,
                      width: float) -> list[Flowable]:
    out: list[Flowable] = []
    heading = [para(section.heading, BOLD_BODY), Spacer(1, 1.5 * mm)] if section.heading else []
    keep = section.type in ("table", "signature", "signatures")  # a heading never ends a page alone
    if section.type == "fields":
        out += heading + [fields_table([(f.label, value_of(data, f)) for f in section.fields], width)]
    elif section.type == "text":
        value = lookup(data, section.key)
        if value in (None, ""):
            return []
        out += heading + [para(p.strip(), JUSTIFIED) for p in str(value).split("\n\n") if p.strip()]
    elif section.type == "table":
        rows = lookup(data, section.key) or []
        if not rows and section.empty is None:
            return []
        out += heading + ([grid_table(section, rows, width, section.compact)] if rows else [para(section.empty, BODY)])
    elif section.type == "signature":
        caption = (section.caption or letterhead.head_title) + ","
        dated = None
        if template.layout == "form":
            signed = lookup(data, f"{section.key}.signed_at")
            dated = f"{letterhead.city}, {tanggal(signed)}" if signed else None
        block = signature_block(lookup(data, section.key), caption, style(10, align=TA_CENTER), dated=dated)
        side: list[Flowable] = []
        side_rows = lookup(data, section.side_key) if section.side_key else None
        if side_rows:
            side = [Spacer(1, 18 * mm), para(section.side_heading or "", SMALL_BOLD), Spacer(1, 1 * mm),
                    grid_table(section, side_rows, width - 86 * mm, compact=True)]
        table = Table([[side, block]], colWidths=[width - 82 * mm, 82 * mm])
        table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        out += heading + [table]
    elif section.type == "signatures":
        cells = [signature_block(lookup(data, b.key), b.label + ",", style(10, align=TA_CENTER))
                 for b in section.blocks]
        table = Table([cells], colWidths=[width / len(cells)] * len(cells))
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        out += heading + [table]
    return ([KeepTogether(out)] if keep else out) + [Spacer(1, 5 * mm)]


def letter_opening(template: Template, data: dict[str, Any], letterhead: LetterheadSettings,
                   width: float) -> list[Flowable]:
    """Place and date and the addressee on the right; Nomor, Sifat, Lampiran, Hal on the left."""
    left_width = width * 0.56
    meta = fields_table([(f.label, value_of(data, f)) for f in template.meta], left_width - 8 * mm, 22 * mm)
    addressee = lookup(data, "addressee") or {}
    hanging, indented = style(10, firstLineIndent=-8.5 * mm, leftIndent=8.5 * mm), style(10, leftIndent=8.5 * mm)
    right = [para(f"{letterhead.city}, {tanggal(lookup(data, 'date'))}"), Spacer(1, 4 * mm), para("Kepada"),
             para(f"Yth. {addressee.get('name') or EMPTY}", hanging)]
    right += [para(addressee["institution"], indented)] if addressee.get("institution") else []
    right += [para("di -", indented), para(addressee.get("place") or "Tempat", style(10, leftIndent=14 * mm))]
    table = Table([[meta, right]], colWidths=[left_width, width - left_width])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (1, 0), (1, 0), 0)]))
    return [table, Spacer(1, 8 * mm)]


def draw_qr(canvas: Canvas, url: str, x: float, y: float) -> None:
    """The QR code as one vector form XObject ('verifyqr'), defined once and placed on every page.

    Drawn as one path of the dark runs of each row: reportlab's QrCodeWidget builds a shape object
    per run and encodes twice, which took two thirds of a document's rendering time.
    """
    if not canvas.hasForm("verifyqr"):
        qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        qr.addData(url)
        qr.make()
        count, border = qr.getModuleCount(), 4  # the quiet zone the QR standard asks for
        box = QR_SIZE / (count + 2 * border)
        canvas.beginForm("verifyqr", 0, 0, QR_SIZE, QR_SIZE)
        path = canvas.beginPath()
        for r, row in enumerate(qr.modules):
            c = 0
            for dark, run in itertools.groupby(bool(m) for m in row):
                length = len(list(run))
                if dark:
                    path.rect((c + border) * box, QR_SIZE - (r + border + 1) * box, length * box, box)
                c += length
        canvas.setFillColor(colors.black)  # not whatever the page last used (the KONSEP watermark's grey)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.endForm()
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm("verifyqr")
    canvas.restoreState()
    canvas.linkURL(url, (x, y, x + QR_SIZE, y + QR_SIZE), relative=0)


def footer(template: Template, number: str, letterhead: LetterheadSettings, url: str):
    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        if template.watermark:
            canvas.setFont(BOLD, 90)
            canvas.setFillColor(colors.Color(0.85, 0.85, 0.85))
            canvas.translate(A4[0] / 2, A4[1] / 2)
            canvas.rotate(40)
            canvas.drawCentredString(0, 0, template.watermark)
            canvas.rotate(-40)
            canvas.translate(-A4[0] / 2, -A4[1] / 2)
        left, bottom = doc.leftMargin, 10 * mm
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.5)
        canvas.line(left, bottom + QR_SIZE + 3 * mm, A4[0] - doc.rightMargin, bottom + QR_SIZE + 3 * mm)
        draw_qr(canvas, url, left, bottom)
        text_x, text_w = left + QR_SIZE + 4 * mm, A4[0] - doc.rightMargin - left - QR_SIZE - 4 * mm
        verify = para(f"Dokumen ini diterbitkan secara elektronik oleh {letterhead.short_name}. Keaslian dan "
                      f"keutuhannya dapat diperiksa dengan memindai kode QR atau membuka {url}. Sidik SHA-256 "
                      "berkas PDF ini tercatat pada sistem; salinan yang diubah walau satu bita tidak akan cocok.",
                      style(7.5, leading=9.5))
        numbered = f" · {number}" if number != EMPTY else ""
        info = para(f"{template.title}{numbered} · templat {template.kind} v{template.version} · "
                    f"halaman {doc.page}", style(7, leading=9, textColor=colors.HexColor("#555555")))
        _, h = info.wrap(text_w, QR_SIZE)
        info.drawOn(canvas, text_x, bottom)
        _, vh = verify.wrap(text_w, QR_SIZE)
        verify.drawOn(canvas, text_x, bottom + h + 1.5 * mm)
        canvas.restoreState()
    return on_page


def build_pdf(story: list[Flowable], *, pagesize: tuple[float, float], title: str, author: str,
              on_page: Any, bottom_margin: float, left: float = 25 * mm, right: float = 20 * mm) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=pagesize, leftMargin=left, rightMargin=right, topMargin=15 * mm,
                          bottomMargin=bottom_margin, title=title, author=author, subject=title,
                          creator="sop-case-backend", invariant=1, pageCompression=1)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    doc.build(story)
    return buffer.getvalue()


def render(kind: str, data: dict[str, Any], letterhead: LetterheadSettings, verify_url: str) -> RenderedDocument:
    """One step output as a PDF; raises KeyError for an unknown kind."""
    template = load_template(kind)
    width = A4[0] - 45 * mm
    number = fmt(lookup(data, "number"))
    story: list[Flowable] = kop(letterhead)
    if template.layout == "letter":
        story += letter_opening(template, data, letterhead, width)
    else:
        story += [para(template.title.upper(), style(13, True, TA_CENTER)),
                  para(f"{template.number_label}: {number}", CENTER), Spacer(1, 7 * mm)]
    for section in template.sections:
        story += section_flowables(section, data, template, letterhead, width)
    pdf = build_pdf(story, pagesize=A4, title=f"{template.title} {number}", author=letterhead.short_name,
                    on_page=footer(template, number, letterhead, verify_url), bottom_margin=10 * mm + QR_SIZE + 8 * mm)
    return RenderedDocument(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), template=kind,
                            template_version=template.version)
