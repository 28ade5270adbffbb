"""The PAdES signature of a signed reply letter (pyHanko), with its visible mark, the same bytes every time.

A signed revision's PDF is the rendered letter plus one incremental update that holds the signature
(PAdES B-B: ETSI.CAdES.detached, SHA-256, RSA PKCS#1 v1.5) and a visible field over the signature
block, saying in Indonesian who signed and when. Replay signs again and must get the same bytes, so
nothing here reads the clock or draws a random number:
- the signing time (the /M of the signature and the CMS signing time) is the signing event's time,
  `signed_at` of the letter's data, never "now";
- RSA PKCS#1 v1.5 signatures are deterministic (unlike PSS or ECDSA): same key, same digest, same bytes;
- the second half of the trailer /ID, which pyHanko draws at random, is derived from the unsigned bytes;
- the ModDate pyHanko sets to "now" is the signing time; the font subset's prefix is fixed and its
  'head' table keeps the font's own timestamp;
- no timestamp-authority token: a TSA's token holds its own time and serial, so it could never be
  reproduced. A letter's time is the one the event log proves, not a third party's (README).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import datetime
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR, DocumentMetadata
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko.stamp import TextStampStyle

from services.documents.rendering.formatting import as_datetime, waktu
from services.documents.signing_place import signature_box
from shared.pdf_fonts import _TTF

# The letters the head signs, with the reason their signature gives; the rest carry paraf or no signature.
SIGNING_REASONS = {"surat_jawaban": "Surat jawaban permohonan informasi publik",
                   "pemberitahuan_tertulis": "Pemberitahuan tertulis atas permohonan informasi publik"}
SIGNED_KINDS = frozenset(SIGNING_REASONS)
FIELD_NAME = "TandaTanganElektronik"
STAMP_TEXT = "Ditandatangani secara elektronik oleh\n%(name)s\n%(at)s\nSertifikat: %(certificate)s"


def to_sign(kind: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """The signature block of a revision that is signed: the signer and when (None for any other revision)."""
    signature = data.get("signature") if kind in SIGNED_KINDS else None
    return signature if isinstance(signature, dict) and signature.get("signed_at") else None


class _FixedPrefix(GlyphAccumulator):
    """pyHanko names a font subset with six random letters, and fontTools stamps the subset's 'head' table
    with the time it is saved: a fixed name and the font's own timestamp keep the bytes reproducible."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.tt.recalcTimestamp = False
        # pyHanko writes TJ adjustments as (PDF width in 1/1000 em) - (HarfBuzz advance in font units): right
        # only for fonts of 1000 units per em. DejaVu has 2048, and every glyph got a gap; shaping in
        # 1/1000 em makes both sides agree.
        self.hb_font.scale = (1000, 1000)
        self.units_per_em = 1000

    @property
    def subset_prefix(self) -> str:
        return "SOPTTE"

    @subset_prefix.setter
    def subset_prefix(self, _: str) -> None:
        pass


class _FontFactory(GlyphAccumulatorFactory):
    def create_font_engine(self, writer, obj_stream=None):  # noqa: ANN001 (pyHanko's signature)
        with open(self.font_file, "rb") as handle:
            return _FixedPrefix(writer, handle, self.font_size, obj_stream=obj_stream)


class _EventTimeWriter(IncrementalPdfFileWriter):
    """The incremental update with a reproducible /ID and ModDate (pyHanko's are random and now)."""

    def __init__(self, pdf: bytes, modified_at: datetime):
        super().__init__(BytesIO(pdf))
        self.modified_at = modified_at
        self._document_id = generic.ArrayObject(
            [self._document_id[0], generic.ByteStringObject(hashlib.sha256(pdf).digest()[:16])])

    def _update_meta(self) -> None:
        if "/Metadata" not in self.root:  # a letter from before PDF/A: its signed bytes stay as they were
            super()._update_meta()
            if self._info is not None:
                self._info.get_object()["/ModDate"] = generic.pdf_date(self.modified_at)
            return
        # PDF/A (rendering/pdfa.py): pyHanko updates the XMP beside the information dictionary; both must
        # say the signing event's time, not "now", and name the same producer.
        self._meta = _ModifiedAt.of(self._meta, self.modified_at)
        super()._update_meta()
        if self._info is not None:
            self._info.get_object()["/Producer"] = generic.TextStringObject(VENDOR)


@dataclass
class _ModifiedAt(DocumentMetadata):
    """pyHanko's metadata with 'now' read as the signing event's time, whenever pyHanko asks for it."""

    @classmethod
    def of(cls, meta: DocumentMetadata, at: datetime) -> _ModifiedAt:
        fixed = cls(**{f.name: getattr(meta, f.name) for f in dataclass_fields(DocumentMetadata)})
        object.__setattr__(fixed, "_at", at)
        fixed.last_modified = at
        return fixed

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "last_modified" and value == "now" and "_at" in self.__dict__:
            value = self.__dict__["_at"]
        object.__setattr__(self, name, value)


class _AtEventTime(signers.PdfSigner):
    """pyHanko takes the signing time from the clock; a letter's is its signing event's."""

    def __init__(self, *args: Any, signing_time: datetime, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):  # noqa: ANN001
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self.signing_time
        return session


def sign_letter(pdf: bytes, signature: dict[str, Any], signer: Signer, place: str = "Ketapang",
                reason: str = SIGNING_REASONS["surat_jawaban"]) -> bytes:
    """The letter signed by `signer` at `signature["signed_at"]`, its mark over the signer's name block."""
    signed_at = as_datetime(signature["signed_at"])
    page, box = signature_box(pdf, signature.get("name") or "")
    style = TextStampStyle(stamp_text=STAMP_TEXT, border_width=1, background=None,
                           text_box_style=TextBoxStyle(font=_FontFactory(str(_TTF / "DejaVuSans.ttf"), font_size=7)))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        name=signature.get("name"), location=place, reason=reason)
    pdf_signer = _AtEventTime(meta, signer, stamp_style=style, signing_time=signed_at,
                              new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=page, box=box))
    certificate = signer.signing_cert.subject.native.get("common_name", "")
    out = pdf_signer.sign_pdf(_EventTimeWriter(pdf, signed_at), appearance_text_params={
        "name": signature.get("name") or "", "at": waktu(signed_at), "certificate": certificate})
    return out.getvalue()
