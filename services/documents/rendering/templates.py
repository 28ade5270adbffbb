"""Template files (templates/<kind>.yaml): version, Indonesian title, layout and the ordered sections.

A template's earlier versions stay loadable from templates/past/<kind>.v<N>.yaml: a revision issued on one
renders on it again (its first fetch after an upgrade, audit replay), so a new version of a template
changes the documents issued from then on and never the old ones. Bumping a version: copy the file as it
was into past/ first."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from services.documents.rendering.formatting import FORMATS

TEMPLATE_DIR = Path(__file__).parent / "templates"
PAST_DIR = TEMPLATE_DIR / "past"
Format = Literal[tuple(FORMATS)]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Field_(Strict):
    key: str
    label: str
    format: Format = "text"
    default: str | None = None


class Column(Strict):
    key: str
    label: str
    width: float = 1.0  # relative to the other columns
    format: Format = "text"


class Section(Strict):
    type: Literal["fields", "table", "text", "signature", "signatures", "opening", "closing",
                  "tembusan"]
    heading: str | None = None
    key: str | None = None
    fields: tuple[Field_, ...] = ()
    columns: tuple[Column, ...] = ()
    empty: str | None = None  # a table with no rows: this line, or nothing at all when None
    compact: bool = False  # small print, half width (e.g. the paraf chain)
    tail_with_next: bool = False  # a table: its last row kept with the next section (signatures never alone)
    caption: str | None = None  # a signature block's office; None: the letterhead's head_title
    blocks: tuple[Field_, ...] = ()  # side-by-side signatures: key = data dict, label = caption
    side_key: str | None = None  # signature: a compact table left of it (the paraf chain), with `columns`
    side_heading: str | None = None


class Template(Strict):
    kind: str
    version: int = Field(ge=1)
    title: str
    layout: Literal["form", "letter"] = "form"
    number_label: str = "Nomor"
    meta: tuple[Field_, ...] = ()  # letter: Nomor/Sifat/Lampiran/Hal block
    draft: bool = False  # KONSEP across every page: a draft by nature (the konsep surat jawaban)
    signed_by: str | None = None  # a letter: KONSEP across every page until this data key holds the signature
    pdfa: bool = False  # claims PDF/A-2b: XMP and sRGB output intent (rendering/pdfa.py)
    copy_mark: str | None = None  # an archive copy: boxed in every page's top margin (PERTINGGAL)
    sections: tuple[Section, ...]


@cache
def load_template(kind: str, version: int | None = None) -> Template:
    """The kind's template in force, or its `version` (the current one, or one kept in past/): a
    LookupError when that version is not kept."""
    path = TEMPLATE_DIR / f"{kind}.yaml"
    if not path.is_file():
        raise KeyError(f"no document template {kind!r}; known: {', '.join(KINDS)}")
    template = _read(path, kind)
    if version is None or version == template.version:
        return template
    past = PAST_DIR / f"{kind}.v{version}.yaml"
    if not past.is_file():
        raise LookupError(f"template {kind} version {version} is not kept (in force: {template.version}; "
                          f"earlier versions live in {PAST_DIR.name}/{kind}.v<N>.yaml)")
    found = _read(past, kind)
    if found.version != version:
        raise ValueError(f"{past.name} says version {found.version}")
    return found


def _read(path: Path, kind: str) -> Template:
    template = Template.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    if template.kind != kind:
        raise ValueError(f"{path.name} says kind {template.kind!r}")
    return template


KINDS: tuple[str, ...] = tuple(sorted(p.stem for p in TEMPLATE_DIR.glob("*.yaml")))
