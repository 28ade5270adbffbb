"""The reply letter's PAdES signature: reproducible bytes, valid for pyHanko's validator with the demo root,
and a changed copy fails. The PNG of the signed letter is what a reader sees (tests leave it in tmp_path)."""
from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

import tempfile

import pypdfium2
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from services.documents.renderer import render_revision
from services.documents.rendering import LetterheadSettings, render
from services.documents.rendering.samples import SAMPLES
from services.documents.signature_check import check_signature
from services.documents.signing import sign_letter, to_sign
from services.documents.signing_place import signature_box
from services.documents.signing_keys import SigningKeyError, SigningSettings, load_signer, trust_roots
from asyncio import run

from system.demo_ca import ensure_demo_ca

LETTER = SAMPLES["surat_jawaban"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    ca = ensure_demo_ca(tmp_path_factory.mktemp("data"))
    settings = SigningSettings(pkcs12_file=ca.signer_p12, pkcs12_passphrase=ca.passphrase, trust_roots=str(ca.root_pem))
    return settings, load_signer(settings)


@pytest.fixture(scope="module")
def signed(demo) -> bytes:
    pdf = render("surat_jawaban", LETTER, LetterheadSettings(), "https://example.test/verify/c/surat_jawaban/1").pdf
    return sign_letter(pdf, to_sign("surat_jawaban", LETTER), demo[1])


def test_signing_twice_gives_the_same_bytes(demo, signed):
    pdf = render("surat_jawaban", LETTER, LetterheadSettings(), "https://example.test/verify/c/surat_jawaban/1").pdf
    again = sign_letter(pdf, to_sign("surat_jawaban", LETTER), demo[1])
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(signed).hexdigest()
    assert again.startswith(pdf)  # an incremental update: the rendered letter, byte for byte, then the signature


def test_pyhanko_validates_it_against_the_demo_root(demo, signed):
    embedded = PdfFileReader(BytesIO(signed)).embedded_signatures
    assert len(embedded) == 1
    status = validate_pdf_signature(embedded[0], ValidationContext(trust_roots=trust_roots(demo[0])))
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert embedded[0].coverage.name == "ENTIRE_FILE"
    # The signing time is the signing event's, not the clock's.
    assert status.signer_reported_dt == to_sign("surat_jawaban", LETTER)["signed_at"]
    assert "DEMO" in status.signing_cert.subject.native["common_name"]


def test_the_check_reports_signer_and_time(demo, signed):
    verdict = run(check_signature(signed, trust_roots(demo[0])))
    assert verdict["valid"] and verdict["signed_by"] == LETTER["signature"]["name"]
    assert verdict["signed_at"].startswith("2026-11-28T10:15")


def test_a_changed_copy_fails(demo, signed):
    at = signed.index(b"050/007/BAPPEDA/2026") if b"050/007/BAPPEDA/2026" in signed else len(signed) // 3
    tampered = bytearray(signed)
    tampered[at] ^= 0x01
    verdict = run(check_signature(bytes(tampered), trust_roots(demo[0])))
    assert verdict is not None and not verdict["valid"]
    appended = run(check_signature(signed + b"\n% appended\n", trust_roots(demo[0])))
    assert appended is not None and not appended["valid"]


def test_an_untrusted_root_is_reported(signed, tmp_path):
    other = ensure_demo_ca(tmp_path)  # another demo CA: not the one that signed
    verdict = run(check_signature(signed, trust_roots(SigningSettings(trust_roots=str(other.root_pem)))))
    assert not verdict["valid"] and "trusted root" in verdict["reason"]


def test_the_mark_is_visible_over_the_signature_block(signed, tmp_path):
    """The widget's appearance is drawn where the box is: pixels there differ from the unsigned letter's."""
    unsigned = signed[:signed.rindex(b"%%EOF", 0, len(signed) - 10) + 5]  # the letter before the update
    index, (x1, y1, x2, y2) = signature_box(unsigned, LETTER["signature"]["name"])
    shots = []
    for pdf in (unsigned, signed):
        document = pypdfium2.PdfDocument(pdf)
        document.init_forms()
        shots.append(document[index].render(scale=2, may_draw_forms=True).to_pil().convert("L"))
    shots[1].save(tmp_path / "surat_jawaban_signed.png")
    shots[1].save(Path(tempfile.gettempdir()) / "surat_jawaban_signed.png")  # to look at
    height = shots[0].height
    area = (x1 * 2, height - y2 * 2, x2 * 2, height - y1 * 2)
    before, after = (sum(s.crop(area).histogram()[:128]) for s in shots)
    assert after > before + 500, "the signature mark draws its text and border in the box"


def test_the_worker_signs_only_signed_letters(demo, monkeypatch):
    settings = demo[0]
    monkeypatch.setenv("SOP_SIGNING_PKCS12_FILE", str(settings.pkcs12_file))
    monkeypatch.setenv("SOP_SIGNING_PKCS12_PASSPHRASE", settings.pkcs12_passphrase.get_secret_value())
    letter = render_revision("surat_jawaban", LETTER, LetterheadSettings().model_dump(), "https://e.test/v")
    assert PdfFileReader(BytesIO(letter)).embedded_signatures
    unsigned = dict(LETTER, signature=None)
    assert not PdfFileReader(BytesIO(render_revision("surat_jawaban", unsigned, LetterheadSettings().model_dump(),
                                                     "https://e.test/v"))).embedded_signatures


def test_the_worker_signs_the_written_notice_and_not_the_archive_copy(demo, monkeypatch):
    settings = demo[0]
    monkeypatch.setenv("SOP_SIGNING_PKCS12_FILE", str(settings.pkcs12_file))
    monkeypatch.setenv("SOP_SIGNING_PKCS12_PASSPHRASE", settings.pkcs12_passphrase.get_secret_value())
    notice = SAMPLES["pemberitahuan_tertulis"]
    pdf = render_revision("pemberitahuan_tertulis", notice, LetterheadSettings().model_dump(), "https://e.test/v")
    embedded = PdfFileReader(BytesIO(pdf)).embedded_signatures
    assert len(embedded) == 1 and "Pemberitahuan tertulis" in str(embedded[0].sig_object["/Reason"])
    status = validate_pdf_signature(embedded[0], ValidationContext(trust_roots=trust_roots(settings)))
    assert status.bottom_line and status.signer_reported_dt == notice["signature"]["signed_at"]
    archive = render_revision("pertinggal_surat_jawaban", SAMPLES["pertinggal_surat_jawaban"],
                              LetterheadSettings().model_dump(), "https://e.test/v")
    assert not PdfFileReader(BytesIO(archive)).embedded_signatures  # the signed original is the one sent


def test_an_unusable_key_is_refused_with_the_reason(demo, tmp_path):
    with pytest.raises(SigningKeyError, match="no such file"):
        load_signer(SigningSettings(pkcs12_file=tmp_path / "missing.p12"))
    with pytest.raises(SigningKeyError, match="wrong passphrase"):
        load_signer(SigningSettings(pkcs12_file=demo[0].pkcs12_file, pkcs12_passphrase="not-it"))
