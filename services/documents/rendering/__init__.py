"""Every step output as a real A4 document: templates (YAML files), a reportlab engine, the register book.

Why reportlab (5.1.0) and not matplotlib (services/sla/report_chart.py) or an HTML-to-PDF tool:
- it is a document library: platypus flowables flow text over pages, tables with repeated header rows
  carry the lembar koordinasi's entries and the surat jawaban's paraf chain and withheld parts;
- `invariant=1` fixes the creation date, the document /ID and the font-subset names, so the same
  inputs give byte-identical PDFs (a replay re-renders the same SHA-256);
- it embeds TrueType fonts: DejaVu Sans from matplotlib's mpl-data (already pinned), so every
  machine renders with the same glyphs and no system font is looked up;
- it draws QR codes itself (`reportlab.graphics.barcode.qr`), as vectors: no other dependency;
- pure Python besides Pillow (already here through matplotlib): no browser, no system libraries.

Public surface: `render(kind, data, letterhead, verify_url) -> RenderedDocument`,
`render_register(rows, period_from, period_to, letterhead) -> bytes`, `register_csv(rows) -> str`,
`LetterheadSettings` (env prefix SOP_LETTERHEAD_), `KINDS` (the template kinds).
"""
from services.documents.rendering.engine import RenderedDocument, render
from services.documents.rendering.register import register_csv, render_register
from services.documents.rendering.settings import LetterheadSettings
from services.documents.rendering.templates import KINDS, load_template

__all__ = ["KINDS", "LetterheadSettings", "RenderedDocument", "load_template", "register_csv", "render",
           "render_register"]
