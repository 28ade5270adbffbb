"""Is a PDF's electronic signature sound: intact, covering the whole file, chaining to a trusted root?

pyHanko's validator (async_validate_pdf_signature: the routes call it on their event loop) with the roots of SOP_SIGNING_TRUST_ROOTS and nothing
fetched from the network: the demo root for the embedded default, BSrE's root in production. The answer
names the signer's certificate and the signing time the signature claims (the signing event's time).
"""
from __future__ import annotations

from io import BytesIO
from typing import Any

from asn1crypto import x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import ValidationContext


async def check_signature(pdf: bytes, roots: list[x509.Certificate]) -> dict[str, Any] | None:
    """The last signature's verdict, or None for a PDF with no signature at all."""
    try:
        signatures = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures
    except (PdfReadError, ValueError, KeyError) as exc:
        return {"valid": False, "reason": f"the file cannot be read as a PDF: {exc}"}
    if not signatures:
        return None
    embedded = signatures[-1]
    try:
        status = await async_validate_pdf_signature(embedded, ValidationContext(trust_roots=roots, allow_fetching=False))
    except (SignatureValidationError, ValueError) as exc:
        return {"valid": False, "reason": f"the signature cannot be checked: {exc}"}
    whole = embedded.coverage is not None and embedded.coverage.name == "ENTIRE_FILE"
    valid = bool(status.intact and status.valid and status.trusted and whole)
    reason = None if valid else (
        "the signed bytes were changed" if not status.intact or not status.valid else
        "the certificate does not chain to a trusted root" if not status.trusted else
        "the file was changed after it was signed")
    return {"valid": valid, "intact": status.intact, "trusted": status.trusted, "covers_whole_file": whole,
            "signer": status.signing_cert.subject.native.get("common_name"),
            "signed_by": embedded.sig_object.get("/Name"),
            "signed_at": status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
            "reason": reason}
