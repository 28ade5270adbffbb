"""What rendering on first request keeps: the letterhead of issue, verification by hash and upload, replay."""
from __future__ import annotations

import dataclasses
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from services.documents import issuing, renderer
from services.documents.bootstrap import bootstrap
from services.documents.builders import BUILDERS
from services.documents.renderer import RenderPool
from services.documents.replay import rerender_all
from services.documents.rendering import LetterheadSettings, render, templates
from shared.settings import Settings
from system.demo import scenarios
from tests.case_log import CaseLog
from tests.unit.error_shape import asgi_client
from tests.unit.test_documents import documents, feed, fetch, text_of


def test_a_letterhead_changed_after_issue_does_not_change_an_issued_revision(tmp_path, monkeypatch):
    app, before, after = documents(tmp_path), CaseLog("sop-a"), CaseLog("sop-a", 2)
    feed(app, before.open())
    was = LetterheadSettings().model_dump()
    monkeypatch.setenv("SOP_LETTERHEAD_AGENCY", "DINAS KOMUNIKASI DAN INFORMATIKA")
    app.issuer.letterhead = LetterheadSettings()  # as after a restart with the new setting
    feed(app, after.open())
    old, new = text_of(app, before.case_id, "buku_tamu"), text_of(app, after.case_id, "buku_tamu")
    assert "BADAN PERENCANAAN PEMBANGUNAN DAERAH" in old and "DINAS KOMUNIKASI" not in old
    assert "DINAS KOMUNIKASI DAN INFORMATIKA" in new
    job = app.issuer.rerender(app.case_file(before.case_id), "buku_tamu", 1)
    expected = render(job.kind, job.data, LetterheadSettings(**was), job.verify_url, job.issued_at).sha256
    assert app.case_file(before.case_id).revision("buku_tamu", 1)["sha256"] == expected


async def test_hash_and_upload_verify_a_revision_once_it_was_fetched(tmp_path):
    service, log = bootstrap(Settings(persistence="memory", data_dir=tmp_path)), CaseLog("sop-a")
    feed(service.app, log.open())
    job = service.app.issuer.rerender(service.app.case_file(log.case_id), "buku_tamu", 1)
    would_be = render(job.kind, job.data, LetterheadSettings(**job.letterhead), job.verify_url, job.issued_at)
    async with asgi_client(service.http, "documents") as http:
        by_qr = (await http.get(f"/verify/{log.case_id}/buku_tamu/1")).json()["document"]
        assert by_qr["sha256"] is None and by_qr["size"] is None
        # Never served, so no one holds it: unknown by hash, even rendered elsewhere from the same record.
        assert (await http.get("/verify", params={"sha256": would_be.sha256})).status_code == 404
        pdf = (await http.get(f"/cases/{log.case_id}/documents/buku_tamu.pdf")).content
        assert pdf == would_be.pdf
        assert (await http.post("/verify", content=pdf)).json()["genuine"] is True
        found = (await http.get("/verify", params={"sha256": would_be.sha256})).json()["document"]
        assert (found["revision"], found["sha256"], found["size"]) == (1, would_be.sha256, len(pdf))


@pytest.fixture
def in_threads():
    """A pool of threads: a test's monkeypatching of the renderer reaches its workers."""
    pool = RenderPool(make=ThreadPoolExecutor)
    yield pool
    pool.executor().shutdown()


def test_replay_reports_identical_then_a_fetched_revision_whose_bytes_differ_now(tmp_path, monkeypatch, in_threads):
    app, log = documents(tmp_path), CaseLog("sop-a")
    feed(app, log.walk(scenarios()[0]))
    fetch(app, log.case_id, "buku_tamu", 1)
    seen: list[tuple[int, int]] = []
    report = rerender_all(app, in_threads, batch=4, progress=lambda done, total: seen.append((done, total)))
    assert report.identical and (report.revisions, report.rendered) == (10, 1)
    assert seen == [(n, 10) for n in range(11)]  # every render counted as it comes back, over three batches
    real = renderer.render
    monkeypatch.setattr(renderer, "render", lambda *job: dataclasses.replace(real(*job), pdf=real(*job).pdf + b"%"))
    changed = rerender_all(app, in_threads)
    assert len(changed.differences) == 1 and f"case {log.case_id} buku_tamu revision 1: recorded" in \
        changed.differences[0]  # the others were never fetched: no bytes on record to differ from


def test_replay_and_first_fetch_refuse_a_revision_its_facts_or_template_no_longer_make(tmp_path, monkeypatch):
    app, log = documents(tmp_path), CaseLog("sop-a")
    feed(app, log.open())
    real = BUILDERS["buku_tamu"]
    monkeypatch.setitem(BUILDERS, "buku_tamu", lambda view: real(view) | {"note": "changed since"})
    report = rerender_all(app)
    assert report.revisions == 1 and "no longer make the document" in report.differences[0]


def test_a_revision_renders_on_the_template_version_it_was_issued_on(tmp_path, monkeypatch):
    """A new version of a template changes what is issued from then on; an old revision renders on the
    version it was issued on, kept in templates/past/, and is not reproducible when that one is not kept."""
    app, log = documents(tmp_path), CaseLog("sop-a")
    feed(app, log.open())
    pool = RenderPool(1, make=ThreadPoolExecutor)  # in this process: it sees the templates patched below
    issued_on = templates.load_template("buku_tamu").version
    before = next(pool.render_all([app.issuer.rerender(app.case_file(log.case_id), "buku_tamu", 1)]))
    folder = tmp_path / "templates"
    shutil.copytree(templates.TEMPLATE_DIR, folder, ignore=shutil.ignore_patterns("past"))
    (folder / "past").mkdir()
    original = (folder / "buku_tamu.yaml").read_text(encoding="utf-8")
    (folder / "buku_tamu.yaml").write_text(re.sub(r"(?m)^title: .*$", "title: Buku Tamu Baru", original.replace(
        f"version: {issued_on}", f"version: {issued_on + 1}")), encoding="utf-8")
    monkeypatch.setattr(templates, "TEMPLATE_DIR", folder)
    monkeypatch.setattr(templates, "PAST_DIR", folder / "past")
    templates.load_template.cache_clear()
    try:
        assert templates.load_template("buku_tamu").title == "Buku Tamu Baru"
        assert "not kept" in rerender_all(app, pool).differences[0]
        (folder / "past" / f"buku_tamu.v{issued_on}.yaml").write_text(original, encoding="utf-8")
        job = app.issuer.rerender(app.case_file(log.case_id), "buku_tamu", 1)
        assert job.template_version == issued_on and next(pool.render_all([job])) == before
    finally:
        monkeypatch.undo()
        templates.load_template.cache_clear()


async def test_a_pdf_its_facts_no_longer_make_is_an_error_not_another_document(tmp_path, monkeypatch):
    service, log = bootstrap(Settings(persistence="memory", data_dir=tmp_path)), CaseLog("sop-a")
    feed(service.app, log.open())
    real = BUILDERS["buku_tamu"]
    monkeypatch.setitem(BUILDERS, "buku_tamu", lambda view: real(view) | {"note": "changed since"})
    async with asgi_client(service.http, "documents") as http:
        answer = await http.get(f"/cases/{log.case_id}/documents/buku_tamu.pdf")
    assert answer.status_code == 500 and answer.json()["error"] == "document_not_reproducible"
    assert "no longer make" in answer.json()["reason"]
