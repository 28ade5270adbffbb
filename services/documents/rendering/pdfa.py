"""What a letter needs beyond what reportlab writes to claim PDF/A-2b (ISO 19005-2, level B), for archives.

reportlab already embeds every font and writes an /ID; a template with `pdfa: true` adds, in the catalogue,
- the XMP metadata stream saying pdfaid:part 2, conformance B, with the same title, author, subject,
  keywords, creator tool, producer and dates as the document information dictionary (the standard asks
  both to agree), uncompressed;
- an output intent (GTS_PDFA1) with an sRGB ICC profile: the pages paint in DeviceRGB and DeviceGray;
and its link annotation (the QR code's) carries the print flag (page.draw_qr).

The profile, sRGB.icc beside this file, is LittleCMS's built-in sRGB written once by Pillow (a fresh one
holds the time it was made, and the bytes must not change) with its header's version set to 4.2, the ICC
version PDF 1.7 names; its tags are all of ICC.1:2004-10.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import XMP, PDFArray, PDFCatalog, PDFDictionary, PDFName, PDFStream, PDFString

from services.documents.rendering.formatting import WIB

ICC_PROFILE = Path(__file__).with_name("sRGB.icc")
PRODUCER = "ReportLab PDF Library - (opensource)"  # what reportlab writes as /Producer, repeated in the XMP

_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
   <pdf:Producer>{producer}</pdf:Producer>
   <pdf:Keywords></pdf:Keywords>
   <pdf:Trapped>False</pdf:Trapped>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{modified}</xmp:ModifyDate>
   <xmp:MetadataDate>{modified}</xmp:MetadataDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def xmp_date(at: datetime) -> str:
    """The XMP form of the date page.pdf_date writes in the information dictionary (WIB, to the second)."""
    local = at.astimezone(WIB) if at.tzinfo else at.replace(tzinfo=WIB)
    return local.replace(microsecond=0).isoformat()


def xmp_packet(title: str, author: str, creator: str, created: datetime, modified: datetime | None = None) -> str:
    """The document's XMP: its PDF/A-2b claim and the information dictionary's values (title = subject)."""
    when = xmp_date(created)
    return _XMP.format(title=escape(title), author=escape(author), subject=escape(title), producer=PRODUCER,
                       creator=escape(creator), created=when, modified=xmp_date(modified) if modified else when)


class _PlainXMP(XMP):
    """The metadata stream with no /Filter at all (ISO 19005-2 6.6.2.1): reportlab compresses every stream
    by default and writes even an empty filter list."""

    def format(self, document: Any) -> bytes:
        default, document.defaultStreamFilters = document.defaultStreamFilters, None
        try:
            return super().format(document)
        finally:
            document.defaultStreamFilters = default


def claim_pdfa(canvas: Any, title: str, author: str, creator: str, issued_at: datetime) -> None:
    """Puts the XMP and the sRGB output intent in the catalogue of the document `canvas` draws."""
    doc, catalog = canvas._doc, canvas._doc.Catalog
    metadata = _PlainXMP(creator=lambda _: xmp_packet(title, author, creator, issued_at).encode("utf-8"))
    profile = PDFStream(PDFDictionary({"N": 3}), ICC_PROFILE.read_bytes())
    intent = PDFDictionary({"Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
                            "OutputConditionIdentifier": PDFString("sRGB"),
                            "Info": PDFString("sRGB IEC61966-2.1"), "DestOutputProfile": doc.Reference(profile)})
    catalog.Metadata = metadata
    catalog.OutputIntents = PDFArray([intent])
    # reportlab's catalogue writes only the keys it lists: this document's lists OutputIntents too.
    catalog.__NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]
