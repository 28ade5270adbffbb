"""A builder whose fields change keeps its old self for the revisions issued on the old template."""
from __future__ import annotations

import re
import shutil

import pytest

from services.documents import past_builders
from services.documents.builders import BUILDERS
from services.documents.rendering import templates
from system.demo import scenarios
from tests.case_log import CaseLog
from tests.unit.test_documents import documents, feed, revisions


@pytest.fixture
def bumped_guest_book(tmp_path, monkeypatch):
    """buku_tamu's template one version on, its builder printing one field more, the old one kept."""
    issued_on = templates.load_template("buku_tamu").version
    folder = tmp_path / "templates"
    shutil.copytree(templates.TEMPLATE_DIR, folder)
    (folder / "past").mkdir(exist_ok=True)
    original = (folder / "buku_tamu.yaml").read_text(encoding="utf-8")
    (folder / "past" / f"buku_tamu.v{issued_on}.yaml").write_text(original, encoding="utf-8")
    (folder / "buku_tamu.yaml").write_text(re.sub(r"(?m)^version: \d+$", f"version: {issued_on + 1}", original),
                                           encoding="utf-8")
    real = BUILDERS["buku_tamu"]

    def bump() -> None:
        monkeypatch.setattr(templates, "TEMPLATE_DIR", folder)
        monkeypatch.setattr(templates, "PAST_DIR", folder / "past")
        templates.load_template.cache_clear()
        monkeypatch.setitem(past_builders.PAST_BUILDERS, ("buku_tamu", issued_on), real)
        monkeypatch.setitem(BUILDERS, "buku_tamu", lambda view: (d := real(view)) and d | {"purpose": "baru"})

    yield issued_on, bump
    monkeypatch.undo()
    templates.load_template.cache_clear()


def test_old_revisions_stay_reproducible_and_the_bump_alone_issues_nothing(tmp_path, bumped_guest_book):
    issued_on, bump = bumped_guest_book
    app, old = documents(tmp_path), CaseLog("sop-a")
    messages = old.walk(scenarios()[0])
    feed(app, messages[:3])
    before = revisions(app, old.case_id)["buku_tamu"]
    bump()
    feed(app, messages[3:])  # later steps do not touch the guest book: still read the same on its template
    assert revisions(app, old.case_id)["buku_tamu"] == before
    for n in range(1, before + 1):  # rebuilt by the kept builder: same digest, renders on the kept template
        assert app.issuer.rerender(app.case_file(old.case_id), "buku_tamu", n).template_version == issued_on

    new = CaseLog("sop-a", 2)
    feed(app, new.open())
    first = app.case_file(new.case_id).revision("buku_tamu", 1)
    assert first["template_version"] == issued_on + 1
    assert app.issuer.rerender(app.case_file(new.case_id), "buku_tamu", 1).data["purpose"] == "baru"


def test_without_its_old_builder_an_old_revision_is_not_reproducible(tmp_path, bumped_guest_book, monkeypatch):
    issued_on, bump = bumped_guest_book
    app, old = documents(tmp_path), CaseLog("sop-a")
    feed(app, old.open())
    bump()
    monkeypatch.delitem(past_builders.PAST_BUILDERS, ("buku_tamu", issued_on))
    with pytest.raises(Exception, match="no longer make"):
        app.issuer.rerender(app.case_file(old.case_id), "buku_tamu", 1)
