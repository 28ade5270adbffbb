"""Where a letter's signature mark goes: in the room above the signer's name, wherever the layout put it.

Found in the rendered PDF itself (pypdfium2's text search) rather than told by the renderer: the
layout of the signature block (rendering/) may change without this module knowing, and the name
printed under the signature is the one thing every form of the block (a.n., Plt., Plh.) has.
"""
from __future__ import annotations

import pypdfium2

MM = 72 / 25.4
WIDTH, HEIGHT, GAP = 68 * MM, 17 * MM, 1.5 * MM


class NoSignatureBlock(ValueError):
    """The letter does not print the signer's name: there is no block to sign over."""


def _last_match(page: pypdfium2.PdfPage, name: str) -> tuple[float, float, float, float] | None:
    text = page.get_textpage()
    try:
        searcher, found = text.search(name, match_case=True), None
        while (hit := searcher.get_next()) is not None:
            found = hit
        if found is None:
            return None
        boxes = [text.get_charbox(i) for i in range(found[0], found[0] + found[1])]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    finally:
        text.close()


def signature_box(pdf: bytes, name: str) -> tuple[int, tuple[int, int, int, int]]:
    """(page index, (x1, y1, x2, y2)) of the mark: centred over the last printing of `name`, just above it."""
    if not name.strip():
        raise NoSignatureBlock("the signature has no signer's name")
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in reversed(range(len(document))):
            found = _last_match(document[index], name.strip())
            if found is None:
                continue
            centre, top = (found[0] + found[2]) / 2, found[3]
            return index, (round(centre - WIDTH / 2), round(top + GAP), round(centre + WIDTH / 2),
                           round(top + GAP + HEIGHT))
    finally:
        document.close()
    raise NoSignatureBlock(f"the letter does not print the signer's name {name!r}")
