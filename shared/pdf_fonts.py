"""DejaVu Sans from matplotlib's mpl-data, embedded as TrueType: the same glyphs on every machine (every PDF here)."""
from __future__ import annotations

from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
_TTF = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def register_fonts() -> None:
    """Idempotent: registers the two faces once per process and maps <b> in paragraphs to the bold one."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(REGULAR, str(_TTF / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(_TTF / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


# A table cell's text state defaults to Helvetica, which a PDF would then reference without embedding it
# (pdffonts: "emb no"); every TableStyle here starts with this command so only the embedded faces appear.
CELL_FONT = ("FONT", (0, 0), (-1, -1), REGULAR)
