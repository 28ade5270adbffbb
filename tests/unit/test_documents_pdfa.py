"""The letters claim PDF/A-2b: what the claim needs is read back from the PDF, before and after signing.

No PDF/A validator installs here (veraPDF is a Java download, on neither PyPI nor Debian), so this checks
the parts ISO 19005-2 asks of these files one by one: the XMP's pdfaid part and conformance, its values
agreeing with the information dictionary, an unfiltered metadata stream, an sRGB output intent, printable
annotations, every font embedded (test_documents_pdf_conformance.py), qpdf's structural check.
"""
from __future__ import annotations

import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from services.documents.rendering import LetterheadSettings, load_template, render
from services.documents.rendering.samples import SAMPLES
from services.documents.signing import sign_letter, to_sign
from services.documents.signing_keys import SigningSettings, load_signer, trust_roots
from system.demo_ca import ensure_demo_ca

ISSUED = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)
LETTERS = ["surat_jawaban", "pertinggal_surat_jawaban", "pemberitahuan_tertulis"]
NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
      "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
      "pdf": "http://ns.adobe.com/pdf/1.3/"}


def xmp_values(pdf: bytes) -> dict[str, str]:
    """The XMP's properties, written as elements (ours) or as attributes (pyHanko's rewrite)."""
    root = PdfReader(BytesIO(pdf)).trailer["/Root"]
    stream = root["/Metadata"].get_object()
    assert "/Filter" not in stream  # ISO 19005-2 6.6.2.1
    description = ET.fromstring(stream.get_data()).find(".//rdf:Description", NS)
    found = {re.sub(r"\{.*\}", "", k): v for k, v in description.attrib.items()}
    for child in description:
        items = child.findall(".//rdf:li", NS)
        found[re.sub(r"\{.*\}", "", child.tag)] = items[0].text if items else (child.text or "")
    return found


def instant(text: str) -> datetime:
    if text.startswith("D:"):  # D:20261124090000+07'00'
        text = re.sub(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-]\d\d)'(\d\d)'", r"\1-\2-\3T\4:\5:\6\7:\8", text)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def assert_pdfa_2b(pdf: bytes) -> None:
    reader = PdfReader(BytesIO(pdf))
    xmp, info = xmp_values(pdf), reader.trailer["/Info"].get_object()
    assert (xmp["part"], xmp["conformance"]) == ("2", "B")
    assert (xmp["title"], xmp["creator"], xmp["description"]) == (info["/Title"], info["/Author"], info["/Subject"])
    assert (xmp["Producer"], xmp["CreatorTool"], xmp["Keywords"]) == (info["/Producer"], info["/Creator"],
                                                                      info["/Keywords"])
    assert instant(xmp["CreateDate"]) == instant(info["/CreationDate"])
    assert instant(xmp["ModifyDate"]) == instant(info["/ModDate"])
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/OutputConditionIdentifier"] == "sRGB"
    profile = intent["/DestOutputProfile"].get_object()
    icc = profile.get_data()
    assert profile["/N"] == 3 and icc[36:40] == b"acsp" and icc[16:20] == b"RGB " and icc[8] == 4
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            assert annotation.get_object()["/F"] & 4  # printable, as PDF/A asks of every annotation
    assert reader.pdf_header <= "%PDF-1.7" and reader.trailer["/ID"]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        Path(file.name).write_bytes(pdf)
        assert subprocess.run(["qpdf", "--check", file.name], capture_output=True).returncode == 0


@pytest.mark.parametrize("kind", LETTERS)
def test_each_letter_claims_pdfa_2b_with_what_the_claim_needs(kind):
    assert load_template(kind).pdfa
    pdf = render(kind, SAMPLES[kind], LetterheadSettings(), "https://e.test/v", ISSUED).pdf
    assert_pdfa_2b(pdf)
    assert instant(xmp_values(pdf)["CreateDate"]) == ISSUED  # the issuing event's time, not the clock's


def test_without_an_event_the_claim_still_agrees_with_reportlabs_fixed_date():
    assert_pdfa_2b(render("pemberitahuan_tertulis", SAMPLES["pemberitahuan_tertulis"], LetterheadSettings(),
                          "https://e.test/v").pdf)


def test_a_sheet_is_not_touched():
    pdf = render("surat_masuk", SAMPLES["surat_masuk"], LetterheadSettings(), "https://e.test/v", ISSUED).pdf
    assert "/Metadata" not in PdfReader(BytesIO(pdf)).trailer["/Root"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    ca = ensure_demo_ca(tmp_path_factory.mktemp("data"))
    settings = SigningSettings(pkcs12_file=ca.signer_p12, pkcs12_passphrase=ca.passphrase, trust_roots=str(ca.root_pem))
    return settings, load_signer(settings)


@pytest.mark.parametrize("kind", ["surat_jawaban", "pemberitahuan_tertulis"])
def test_the_signature_keeps_the_claim_and_its_time_and_validates(demo, kind):
    settings, signer = demo
    data = SAMPLES[kind]
    pdf = render(kind, data, LetterheadSettings(), "https://e.test/v", ISSUED).pdf
    signed = sign_letter(pdf, to_sign(kind, data), signer)
    assert signed == sign_letter(pdf, to_sign(kind, data), signer) and signed.startswith(pdf)
    assert_pdfa_2b(signed)
    assert instant(xmp_values(signed)["ModifyDate"]) == data["signature"]["signed_at"]  # the signing event's
    embedded = PdfFileReader(BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(embedded[0], ValidationContext(trust_roots=trust_roots(settings)))
    assert status.bottom_line and embedded[0].coverage.name == "ENTIRE_FILE"
