"""The parts of a paper that tata naskah dinas fixes (Permendagri 1/2023): the kop with the lambang daerah,
the letter's head (Nomor, Sifat, Lampiran, Hal; place and date; the addressee), the signature block with
its a.n./Plt./Plh. form, and the Tembusan."""
from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from services.documents.rendering.formatting import EMPTY, tanggal
from services.documents.rendering.settings import LetterheadSettings
from services.documents.rendering.styles import BODY, fields_table, para, style
from shared.pdf_kop import EMBLEM_SIZE, DoubleRule, emblem
from shared.pdf_fonts import CELL_FONT


def kop(letterhead: LetterheadSettings) -> list[Flowable]:
    """The emblem on the left, the government, agency and full address centred over the double rule."""
    lines = [para(letterhead.government, style(13, True, TA_CENTER)),
             para(letterhead.agency, style(13.5, True, TA_CENTER, leading=17)),
             para(letterhead.address, style(9, align=TA_CENTER))]
    if letterhead.contact:
        lines.append(para(letterhead.contact, style(8, align=TA_CENTER)))
    mark = emblem(letterhead.logo)
    table = Table([[mark, lines, ""]], colWidths=[EMBLEM_SIZE, None, 6 * mm])
    table.setStyle(TableStyle([CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [table, Spacer(1, 2 * mm), DoubleRule(), Spacer(1, 6 * mm)]


def caption_of(person: dict[str, Any], office: str) -> str:
    """'KEPALA …,' for the holder; 'Plt. KEPALA …,' / 'Plh. …' for whoever acts; 'a.n. KEPALA …\\nSEKRETARIS,'."""
    form = person.get("acting")
    if form == "a.n.":
        return f"a.n. {office}\n{(person.get('jabatan') or '').upper()},"
    return f"{form} {office}," if form else f"{office},"


def signature_block(person: Any, office: str, st: Any = BODY, dated: str | None = None) -> list[Flowable]:
    """The office, room for the signature (the electronic signature's visible mark or the wet one), the name
    underlined, pangkat/golongan and NIP. An unsigned block says so."""
    person = person if isinstance(person, dict) else {}
    parts: list[Flowable] = [para(dated, st)] if dated else []
    parts.append(para(caption_of(person, office), st))
    if person.get("signed_at"):
        parts.append(Spacer(1, 20 * mm))
    elif person.get("awaiting"):  # a konsep: who is to sign, with the room their signature will take
        parts += [Spacer(1, 7 * mm), para("KONSEP, menunggu tanda tangan", style(8, True, align=st.alignment)),
                  Spacer(1, 8 * mm)]
    else:
        parts += [Spacer(1, 6 * mm), para("(belum ditandatangani)", style(8, align=st.alignment)), Spacer(1, 8 * mm)]
    parts.append(Paragraph(f"<b><u>{escape(person.get('name') or EMPTY)}</u></b>", st))
    if person.get("rank"):
        parts.append(para(person["rank"], st))
    if person.get("nip"):
        parts.append(para(f"NIP. {person['nip']}", st))
    return parts


def letter_opening(meta: list[tuple[str, str]], data: dict[str, Any], letterhead: LetterheadSettings,
                   width: float) -> list[Flowable]:
    """Place and date and the addressee on the right; Nomor, Sifat, Lampiran, Hal on the left."""
    left_width = width * 0.56
    table_meta = fields_table(meta, left_width - 8 * mm, 22 * mm)
    addressee = data.get("addressee") or {}
    hanging, indented = style(10, firstLineIndent=-8.5 * mm, leftIndent=8.5 * mm), style(10, leftIndent=8.5 * mm)
    right = [para(f"{letterhead.city}, {tanggal(data.get('date'))}"), Spacer(1, 4 * mm), para("Kepada"),
             para(f"Yth. {addressee.get('name') or EMPTY}", hanging)]
    right += [para(addressee["institution"], indented)] if addressee.get("institution") else []
    right += [para("di -", indented), para(addressee.get("place") or "Tempat", style(10, leftIndent=14 * mm))]
    table = Table([[table_meta, right]], colWidths=[left_width, width - left_width])
    table.setStyle(TableStyle([CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (1, 0), (1, 0), 0)]))
    return [table, Spacer(1, 8 * mm)]


def tembusan(lines: list[str]) -> list[Flowable]:
    """'Tembusan:' and the numbered recipients of copies, under the signature."""
    if not lines:
        return []
    small = style(9)
    return [para("Tembusan:", small)] + [para(f"{i}. {line}", small) for i, line in enumerate(lines, 1)]
