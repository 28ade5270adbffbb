"""A revision's PDF is rendered on first request, in the pool: never while issuing, once, and off the event loop."""
from __future__ import annotations

import asyncio
import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from services.documents import renderer
from services.documents.application import Documents
from services.documents.bootstrap import bootstrap, issuer
from services.documents.index import DocumentDigest
from services.documents.issuing import NotReproducible
from services.documents.on_request import Renderings
from services.documents.renderer import SHARED, RenderPool
from services.documents.rendering import LetterheadSettings
from shared.eventstore import store_env
from shared.settings import Settings
from system.demo import scenarios
from tests.case_log import CaseLog
from tests.unit.error_shape import asgi_client
from tests.unit.test_documents import documents, feed


def renderings_recorded(app: Documents) -> list[tuple[str, int, str]]:
    notifications = app.recorder.select_notifications(start=1, limit=10_000)
    events = [app.mapper.to_domain_event(n) for n in notifications if n.topic.endswith("CaseFile.DocumentRendered")]
    return [(e.kind, e.revision, e.sha256) for e in events]


def test_issuing_renders_nothing_and_records_what_fixes_the_bytes(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    app.issuer.pool, rendered = RenderPool(), []
    app.issuer.observe = lambda kind, seconds: rendered.append(kind)
    feed(app, log.walk(scenarios()[7]))
    issued = [r for revisions in app.case_file(log.case_id).documents.values() for r in revisions]
    assert len(issued) == 16 and all(r["sha256"] is None and r["size"] is None for r in issued)  # berita acara: 2
    assert all(r["letterhead"] == LetterheadSettings().model_dump() and len(r["data_digest"]) == 64 for r in issued)
    assert app.issuer.pool._executor is None and not rendered  # no worker was ever asked
    assert not list((tmp_path / "documents").rglob("*.pdf*"))  # and nothing stored


async def test_the_first_fetch_renders_and_records_it_then_the_store_serves_it(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    feed(app, log.walk(scenarios()[7]))
    rendered = []
    app.issuer.observe = lambda kind, seconds: rendered.append(kind)
    renderings = Renderings(app)
    pdf, meta = await renderings.pdf(log.case_id, "surat_jawaban")
    again, _ = await renderings.pdf(log.case_id, "surat_jawaban", 4)
    sha256 = hashlib.sha256(pdf).hexdigest()
    assert again == pdf and rendered == ["surat_jawaban"]
    assert (meta["revision"], meta["sha256"], meta["size"]) == (4, sha256, len(pdf))
    assert renderings_recorded(app) == [("surat_jawaban", 4, sha256)]
    assert app.by_sha256(sha256).revision == 4 and app.issuer.blobs.read(sha256) == pdf
    assert app.case_file(log.case_id).revision("surat_jawaban", 3)["sha256"] is None  # only what was asked for


class Together(RenderPool):
    """Holds every render until `count` have begun: both processes render before either records."""

    def __init__(self, count: int):
        super().__init__()
        self.begun, self.count, self.all_in = 0, count, asyncio.Event()

    async def render(self, job):
        self.begun += 1
        if self.begun == self.count:
            self.all_in.set()
        await self.all_in.wait()
        return await SHARED.render(job)


def two_processes(tmp_path) -> list[Documents]:
    settings = Settings(persistence="sqlite", data_dir=tmp_path)
    return [Documents(issuer(settings), env=store_env(settings, "documents")) for _ in range(2)]


async def test_first_fetches_at_once_in_two_processes_record_one_rendering(tmp_path):
    apps, log = two_processes(tmp_path), CaseLog("sop-a")
    feed(apps[0], log.open())
    rendered, together = [], Together(2)
    for app in apps:
        app.issuer.pool, app.issuer.observe = together, lambda kind, seconds: rendered.append(kind)
    requests = [Renderings(app).pdf for app in apps]
    answers = await asyncio.gather(*(fetch(log.case_id, "buku_tamu") for fetch in requests for _ in range(2)))
    assert len({pdf for pdf, _ in answers}) == 1 and len(rendered) == 2  # requests in one process share one
    assert renderings_recorded(apps[1]) == [("buku_tamu", 1, hashlib.sha256(answers[0][0]).hexdigest())]


@pytest.mark.parametrize("theirs", ["same", "other"])
async def test_a_rendering_recorded_elsewhere_meanwhile_is_checked_against_this_one(tmp_path, monkeypatch, theirs):
    (here, there), log = two_processes(tmp_path), CaseLog("sop-a")
    feed(here, log.open())
    real_save = here.save

    def save_after_theirs(*aggregates):  # the other process records between this one's read and write
        ours = next(a for a in aggregates if isinstance(a, DocumentDigest)).sha256
        sha256 = ours if theirs == "same" else "0" * 64
        case_file = there.case_file_to_change(log.case_id)
        case_file.rendered("buku_tamu", 1, sha256, 1)
        there.save(case_file, DocumentDigest(sha256=sha256, case_id=log.case_id, kind="buku_tamu", revision=1))
        monkeypatch.setattr(here, "save", real_save)
        return real_save(*aggregates)  # IntegrityError: read again

    monkeypatch.setattr(here, "save", save_after_theirs)
    if theirs == "other":
        with pytest.raises(NotReproducible, match="recorded as 0000"):
            await Renderings(here).pdf(log.case_id, "buku_tamu")
        return
    pdf, meta = await Renderings(here).pdf(log.case_id, "buku_tamu")
    assert meta["sha256"] == hashlib.sha256(pdf).hexdigest() and len(renderings_recorded(here)) == 1


async def test_the_event_loop_serves_others_while_a_pdf_renders(tmp_path, monkeypatch):
    service, log = bootstrap(Settings(persistence="memory", data_dir=tmp_path)), CaseLog("sop-a")
    feed(service.app, log.open())
    begun, release, real = threading.Event(), threading.Event(), renderer.render_revision

    def held(*job):
        begun.set()
        release.wait(10)
        return real(*job)

    monkeypatch.setattr(renderer, "render_revision", held)  # reaches the worker: threads, not processes, here
    service.app.issuer.pool = RenderPool(make=ThreadPoolExecutor)
    async with asgi_client(service.http, "documents") as http:
        pdf = asyncio.create_task(http.get(f"/cases/{log.case_id}/documents/buku_tamu.pdf"))
        assert await asyncio.to_thread(begun.wait, 10)
        assert (await http.get(f"/cases/{log.case_id}/documents")).status_code == 200
        assert (await http.get(f"/verify/{log.case_id}/buku_tamu/1")).status_code == 200
        assert not pdf.done()  # still rendering, while the loop answered the others
        release.set()
        assert (await pdf).status_code == 200
    await service.app.issuer.pool.shutdown()
