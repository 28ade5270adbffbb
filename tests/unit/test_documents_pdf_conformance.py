"""Every PDF the documents service prints passes `qpdf --check`, embeds every font it uses (`pdffonts`) and
carries the issuing event's time as its CreationDate and ModDate, not reportlab's fixed 1 January 2000."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from services.documents.rendering import LetterheadSettings, render, render_register
from services.documents.rendering.samples import REGISTER_ROWS, SAMPLES, VERIFY_URL, at


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"`{name}` is not on PATH: install Debian's qpdf and poppler-utils "
                    "(apt-get install -y --no-install-recommends qpdf poppler-utils); `make test` installs them")
    return found


def fonts(path: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, type and the emb column for each font the file references."""
    out = subprocess.run([tool("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    return [{"name": r[0], "emb": r[-5]} for r in rows]


def check(pdf: bytes, tmp_path: Path) -> list[dict[str, str]]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([tool("qpdf"), "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    found = fonts(path)
    assert found and all(f["emb"] == "yes" for f in found), found
    assert {f["name"].split("+")[-1] for f in found} <= {"DejaVuSans", "DejaVuSans-Bold"}
    return found


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_every_kind_is_a_sound_pdf_with_embedded_fonts_dated_by_its_event(kind, tmp_path):
    issued = at(28, 10, 15)  # 10.15 WIB = 03.15 UTC
    pdf = render(kind, SAMPLES[kind], LetterheadSettings(), VERIFY_URL, issued).pdf
    check(pdf, tmp_path)
    info = PdfReader(tmp_path / "doc.pdf").metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20261128101500+07'00'"


def test_the_register_book_is_sound_and_embeds_its_fonts(tmp_path):
    check(render_register(REGISTER_ROWS, date(2026, 11, 1), date(2026, 11, 30), LetterheadSettings()), tmp_path)
