"""What every page carries besides its content: the KONSEP mark on an unsigned revision, the verification
footer with its QR code, and the PDF's dates (those of the event that produced the revision)."""
from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any, Callable

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate

from services.documents.rendering.fonts import BOLD, REGULAR
from services.documents.rendering.formatting import EMPTY, WIB
from services.documents.rendering.settings import LetterheadSettings
from services.documents.rendering.styles import GRID, para, style

QR_SIZE = 22 * mm
DRAFT_MARK = "KONSEP"


def draw_qr(canvas: Canvas, url: str, x: float, y: float, printable: bool = False) -> None:
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
    # PDF/A asks every annotation to print (/F 4); older templates' bytes stay as they were.
    canvas.linkURL(url, (x, y, x + QR_SIZE, y + QR_SIZE), relative=0, **({"F": 4} if printable else {}))


def watermark(canvas: Canvas, text: str) -> None:
    canvas.saveState()
    canvas.setFont(BOLD, 90)
    canvas.setFillColor(colors.Color(0.85, 0.85, 0.85))
    canvas.translate(A4[0] / 2, A4[1] / 2)
    canvas.rotate(40)
    canvas.drawCentredString(0, 0, text)
    canvas.restoreState()


def copy_stamp(canvas: Canvas, doc: BaseDocTemplate, text: str) -> None:
    """An archive copy's mark, boxed in the top margin at the right of every page (it takes no room of the
    letter's own): the first line bold, the rest under it."""
    lines = text.split("\n")
    w, h = 62 * mm, (3.2 + 3.6 * len(lines)) * mm
    x, y = A4[0] - doc.rightMargin - w, A4[1] - 3 * mm - h
    canvas.saveState()
    canvas.setLineWidth(1)
    canvas.rect(x, y, w, h)
    for i, line in enumerate(lines):
        canvas.setFont(BOLD if i == 0 else REGULAR, 9 if i == 0 else 7.5)
        canvas.drawCentredString(x + w / 2, y + h - (4.6 + 3.6 * i) * mm, line)
    canvas.restoreState()


def footer(title: str, number: str, letterhead: LetterheadSettings, url: str, mark: str | None,
           stamp: str | None = None, printable_link: bool = False) -> Callable:
    """The page furniture: `mark` (KONSEP) across an unsigned revision, `stamp` (PERTINGGAL) in the top margin
    of an archive copy, then the rule, QR and verification text."""
    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        if mark:
            watermark(canvas, mark)
        if stamp:
            copy_stamp(canvas, doc, stamp)
        canvas.saveState()
        left, bottom = doc.leftMargin, 10 * mm
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.5)
        canvas.line(left, bottom + QR_SIZE + 3 * mm, A4[0] - doc.rightMargin, bottom + QR_SIZE + 3 * mm)
        draw_qr(canvas, url, left, bottom, printable_link)
        text_x, text_w = left + QR_SIZE + 4 * mm, A4[0] - doc.rightMargin - left - QR_SIZE - 4 * mm
        state = "Konsep, belum ditandatangani: bukan naskah dinas yang sah. " if mark else ""
        verify = para(f"{state}Dokumen ini diterbitkan oleh {letterhead.short_name}. Keaslian dan keutuhannya dapat "
                      f"diperiksa dengan memindai kode QR atau membuka {url}. Sidik SHA-256 berkas PDF ini tercatat "
                      "pada sistem; salinan yang diubah walau satu bita tidak akan cocok.", style(7.5, leading=9.5))
        numbered = f" · {number}" if number != EMPTY else ""
        info = para(f"{title}{numbered} · halaman {doc.page}", style(7, leading=9, textColor=colors.HexColor("#555555")))
        _, h = info.wrap(text_w, QR_SIZE)
        info.drawOn(canvas, text_x, bottom)
        _, vh = verify.wrap(text_w, QR_SIZE)
        verify.drawOn(canvas, text_x, bottom + h + 1.5 * mm)
        canvas.restoreState()
    return on_page


def pdf_date(at: datetime) -> Callable[..., str]:
    """A date formatter for the PDF's CreationDate and ModDate: `at` in WIB, whatever reportlab's clock says."""
    local = at.astimezone(WIB) if at.tzinfo else at.replace(tzinfo=WIB)
    offset = int(local.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    stamp = f"D:{local:%Y%m%d%H%M%S}{'+' if offset >= 0 else '-'}{abs(offset) // 60:02d}'{abs(offset) % 60:02d}'"
    return lambda *_: stamp


def dated(on_page: Callable, at: datetime | None) -> Callable:
    """`on_page` that also sets the document's dates to `at` (reportlab formats them when it saves)."""
    if at is None:
        return on_page

    def page(canvas: Canvas, doc: Any) -> None:
        canvas.setDateFormatter(pdf_date(at))
        on_page(canvas, doc)
    return page
