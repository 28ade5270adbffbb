"""(template, data, letterhead, verification URL) → A4 PDF bytes, the same bytes for the same inputs.

Deterministic: `invariant=1` (fixed /ID and subset names), embedded DejaVu Sans, and no clock: every date
or time printed comes from `data`, and the PDF's own dates from the issuing event (`issued_at`). The footer carries the verification text and a QR code of
`verify_url` (a vector form XObject named `verifyqr`); the PDF cannot print its own SHA-256, so the footer
points to where that hash is kept instead of holding a placeholder.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Spacer, Table,
                                TableStyle)

from services.documents.rendering.fonts import REGULAR, register_fonts
from services.documents.rendering.formatting import EMPTY, fmt, tanggal
from services.documents.rendering.page import DRAFT_MARK, QR_SIZE, dated, footer
from services.documents.rendering.letter_parts import kop, letter_opening, signature_block, tembusan
from services.documents.rendering.settings import LetterheadSettings
from services.documents.rendering.styles import (BODY, BOLD_BODY, CENTER, GRID, HEADER_FILL, JUSTIFIED, SMALL_BOLD,
                                                 fields_table, para, style)
from services.documents.rendering.templates import Field_, Section, Template, load_template
from services.documents.rendering.pdfa import claim_pdfa
from shared.pdf_fonts import CELL_FONT

CREATOR = "sop-case-backend"
INVARIANT_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)  # reportlab's dates under invariant=1, no event's

@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    sha256: str
    template: str
    template_version: int


def lookup(data: dict[str, Any], key: str | None) -> Any:
    """'applicant.name' reaches into nested dicts; a missing key is None."""
    value: Any = data
    for part in (key or "").split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def value_of(data: dict[str, Any], field: Field_) -> str:
    shown = fmt(lookup(data, field.key), field.format)
    return field.default if shown == EMPTY and field.default else shown


def grid_table(section: Section, rows: list[dict[str, Any]], width: float, compact: bool = False,
               header: bool = True, first: int = 1) -> Table:
    """`header` False and `first` > 1: the rest of a table cut off above, numbered on from `first`."""
    st, head = (style(7.5), style(7.5, True)) if compact else (style(9), style(9, True))
    number_col = 8.5 * mm if compact else 11 * mm  # "No" in the compact header fits on one line
    total = sum(c.width for c in section.columns)
    widths = [number_col] + [(width - number_col) * c.width / total for c in section.columns]
    body = [[para("No" if compact else "No.", head)] + [para(c.label, head) for c in section.columns]] if header else []
    for i, row in enumerate(rows, first):
        body.append([para(f"{i}.", st)] + [para(fmt(lookup(row, c.key), c.format), st) for c in section.columns])
    table = Table(body, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    fill = [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL)] if header else []
    table.setStyle(TableStyle([CELL_FONT, ("GRID", (0, 0), (-1, -1), 0.5, GRID), *fill, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def table_tail(section: Section, data: dict[str, Any], width: float) -> Table | None:
    """A `tail_with_next` table's last row, printed apart so that it goes with the section after it: the
    signatures then never stand alone on a page (a page blank but for them and the footer)."""
    rows = (lookup(data, section.key) or []) if section.type == "table" and section.tail_with_next else []
    return grid_table(section, rows[-1:], width, section.compact, header=False, first=len(rows)) if len(rows) > 1 else None


def section_flowables(section: Section, data: dict[str, Any], template: Template, letterhead: LetterheadSettings,
                      width: float) -> list[Flowable]:
    out: list[Flowable] = []
    heading = [para(section.heading, BOLD_BODY), Spacer(1, 1.5 * mm)] if section.heading else []
    keep = section.type in ("table", "signature", "signatures", "tembusan")  # a heading never ends a page alone
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
        if table_tail(section, data, width) is not None:
            rows = rows[:-1]  # its last row goes with the next section
        out += heading + ([grid_table(section, rows, width, section.compact)] if rows else [para(section.empty, BODY)])
    elif section.type == "signature":
        office = section.caption or letterhead.head_title
        dated = None
        if template.layout == "form":
            signed = lookup(data, f"{section.key}.signed_at")
            dated = f"{letterhead.city}, {tanggal(signed)}" if signed else None
        block = signature_block(lookup(data, section.key), office, style(10, align=TA_CENTER), dated=dated)
        side: list[Flowable] = []
        side_rows = lookup(data, section.side_key) if section.side_key else None
        if side_rows:
            side = [Spacer(1, 18 * mm), para(section.side_heading or "", SMALL_BOLD), Spacer(1, 1 * mm),
                    grid_table(section, side_rows, width - 86 * mm, compact=True)]
        table = Table([[side, block]], colWidths=[width - 82 * mm, 82 * mm])
        table.setStyle(TableStyle([CELL_FONT, ("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        out += heading + [table]
    elif section.type == "signatures":
        cells = [signature_block(lookup(data, b.key), b.label, style(10, align=TA_CENTER))
                 for b in section.blocks]
        table = Table([cells], colWidths=[width / len(cells)] * len(cells))
        table.setStyle(TableStyle([CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        out += heading + [table]
    elif section.type == "opening":
        letter = lookup(data, "letter") or {}
        out.append(para(letterhead.reply_opening.format(number=fmt(letter.get("number")), date=tanggal(
            letter.get("date")), subject=fmt(lookup(data, "subject"))), JUSTIFIED))
    elif section.type == "closing":
        out.append(para(letterhead.closing, JUSTIFIED))
    elif section.type == "tembusan":
        out += tembusan([line for line in letterhead.tembusan.split("\n") if line.strip()])
    return ([KeepTogether(out)] if keep else out) + [Spacer(1, 5 * mm)]


def build_pdf(story: list[Flowable], *, pagesize: tuple[float, float], title: str, author: str,
              on_page: Any, bottom_margin: float, left: float = 25 * mm, right: float = 20 * mm,
              issued_at: datetime | None = None, pdfa: bool = False) -> bytes:
    """`invariant=1` fixes the /ID and the subset names; the dates are `issued_at` (else reportlab's fixed
    2000-01-01); the canvas starts in the embedded face, so no unembedded Helvetica is ever referenced."""
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=pagesize, leftMargin=left, rightMargin=right, topMargin=15 * mm,
                          bottomMargin=bottom_margin, title=title, author=author, subject=title,
                          creator=CREATOR, invariant=1, pageCompression=1, initialFontName=REGULAR)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
    if pdfa:
        on_page = _claiming_pdfa(on_page, title, author, issued_at or INVARIANT_DATE)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=dated(on_page, issued_at))])
    doc.build(story)
    return buffer.getvalue()


def _claiming_pdfa(on_page: Any, title: str, author: str, issued_at: datetime) -> Any:
    def page(canvas: Any, doc: Any) -> None:
        if doc.page == 1:
            claim_pdfa(canvas, title, author, CREATOR, issued_at)
        on_page(canvas, doc)
    return page


def is_draft(template: Template, data: dict[str, Any]) -> bool:
    """A draft template always; a letter until its `signed_by` key holds the signature (a block that only
    names who is to sign has no `signed_at` yet)."""
    if template.draft:
        return True
    signature = lookup(data, template.signed_by) if template.signed_by else True
    return not (signature.get("signed_at") if isinstance(signature, dict) else signature)


def render(kind: str, data: dict[str, Any], letterhead: LetterheadSettings, verify_url: str,
           issued_at: datetime | None = None, template_version: int | None = None) -> RenderedDocument:
    """One step output as a PDF; raises KeyError for an unknown kind. `issued_at`: the time of the event that
    produced the revision, written as the PDF's CreationDate and ModDate. `template_version`: the one the
    revision was issued on (None: the one in force)."""
    template = load_template(kind, template_version)
    width = A4[0] - 45 * mm
    number = fmt(lookup(data, "number"))
    story: list[Flowable] = kop(letterhead)
    if template.layout == "letter":
        story += letter_opening([(f.label, value_of(data, f)) for f in template.meta], data, letterhead, width)
    else:
        story += [para(template.title.upper(), style(13, True, TA_CENTER)),
                  para(f"{template.number_label}: {number}", CENTER), Spacer(1, 7 * mm)]
    carried: Table | None = None
    for section in template.sections:
        flows = section_flowables(section, data, template, letterhead, width)
        if carried is not None and flows:
            flows = [KeepTogether([carried, Spacer(1, 5 * mm)] + flows[:-1]), flows[-1]]
        elif carried is not None:
            story.append(carried)
        carried = table_tail(section, data, width)
        story += flows[:-1] if carried is not None else flows  # no gap inside the table cut in two
    story += [carried] if carried is not None else []
    mark = DRAFT_MARK if is_draft(template, data) else None
    pdf = build_pdf(story, pagesize=A4, title=f"{template.title} {number}", author=letterhead.short_name,
                    on_page=footer(template.title, number, letterhead, verify_url, mark, template.copy_mark,
                                   printable_link=template.pdfa),
                    bottom_margin=10 * mm + QR_SIZE + 8 * mm, issued_at=issued_at, pdfa=template.pdfa)
    return RenderedDocument(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), template=kind,
                            template_version=template.version)
