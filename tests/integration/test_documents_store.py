"""Documents on each persistence module: a whole SOP C case filed, fetched, verified and rendered again from the log."""
from __future__ import annotations

import asyncio

import pytest

from services.documents import queries
from services.documents.application import Documents
from services.documents.bootstrap import issuer
from services.documents.on_request import Renderings
from services.documents.replay import rerender_all
from system.demo import scenarios
from shared.eventstore import store_env
from tests.case_log import CaseLog

pytestmark = pytest.mark.integration


def test_a_case_filed_on_this_store_reads_back_verifies_and_renders_again(store_settings):
    app = Documents(issuer(store_settings), env=store_env(store_settings, "documents"))
    log = CaseLog("sop-c")
    for message in log.walk(scenarios()[8]):
        assert app.handle_message(message)
    fetched, _ = asyncio.run(Renderings(app).pdf(log.case_id, "surat_jawaban"))  # its first rendering, recorded
    reopened = Documents(issuer(store_settings), env=store_env(store_settings, "documents"))  # a restart
    listed = queries.case_documents(reopened, log.case_id)
    # 12, the pertinggal beside each of the 4 replies, and the berita acara of each round received
    assert sum(len(d["revisions"]) for d in listed) == 18
    letter = next(d for d in listed if d["kind"] == "surat_jawaban")
    pdf, _ = queries.document_pdf(reopened, log.case_id, "surat_jawaban")  # from the store, not rendered again
    assert pdf == fetched and asyncio.run(queries.verify_bytes(reopened, pdf))["document"]["number"] == letter["number"]
    assert queries.verify_number(reopened, log.register_number)
    asyncio.run(Renderings(reopened).pdf(log.case_id, "surat_masuk", 1))
    report = rerender_all(reopened)
    assert report.identical and (report.revisions, report.rendered) == (18, 2)
