"""Documents issues every output of every SOP from routing's facts, in the case's order, once."""
from __future__ import annotations

import asyncio
import io
import random
from pathlib import Path

import pytest
from pypdf import PdfReader

from services.documents import queries
from services.documents.application import Documents
from services.documents.bootstrap import issuer
from shared.http.documents_api import ARCHIVE_COPIES
from services.documents.on_request import Renderings
from services.documents.replay import rerender_all
from system.demo import NOTES, scenarios
from shared.eventstore import store_env
from shared.settings import Settings
from tests.case_log import CaseLog


def documents(tmp_path: Path, persistence: str = "memory") -> Documents:
    settings = Settings(persistence=persistence, data_dir=tmp_path)
    return Documents(issuer(settings), env=store_env(settings, "documents"))


def feed(app: Documents, messages) -> None:
    for message in messages:
        app.handle_message(message)


def revisions(app: Documents, case_id: str) -> dict[str, int]:
    return {d["kind"]: d["revision"] for d in queries.case_documents(app, case_id) or []}


def fetch(app: Documents, case_id: str, kind: str, revision: int | None = None) -> bytes:
    """The PDF as GET /cases/{id}/documents/{kind}.pdf serves it: rendered on first request."""
    return asyncio.run(Renderings(app).pdf(case_id, kind, revision))[0]


def text_of(app: Documents, case_id: str, kind: str, revision: int | None = None) -> str:
    pdf = fetch(app, case_id, kind, revision)
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("scenario", scenarios(), ids=lambda s: f"{s.sop_id} {s.title}")
def test_every_output_each_branch_reaches_is_issued(tmp_path, scenario):
    app, log = documents(tmp_path), CaseLog(scenario.sop_id)
    feed(app, log.walk(scenario))
    reached = {step for step, _, _ in scenario.moves} | {1}
    outputs = {kind for step in reached for kind in log.sop.step(step).outputs}
    expected = outputs | {ARCHIVE_COPIES[k] for k in outputs if k in ARCHIVE_COPIES}  # a letter's pertinggal
    if scenario.outcome not in ("refused", "incomplete"):  # step 3 makes the notice only when it refuses
        expected.discard("pemberitahuan_tertulis")
    assert set(revisions(app, log.case_id)) == expected
    for kind in expected:  # each names the applicant it concerns, read back from the PDF
        assert "Pemohon 1" in text_of(app, log.case_id, kind)


def test_sop_a_sheet_grows_with_each_actor_and_the_register_closes(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-a")
    feed(app, log.walk(scenarios()[0]))
    assert revisions(app, log.case_id) == {"buku_tamu": 2, "buku_register": 2, "lembar_koordinasi": 5,
                                           "lembar_hasil_koordinasi": 1}
    sheet = text_of(app, log.case_id, "lembar_koordinasi")
    for name, note in [("SITI RAHMAWATI", NOTES["registered"]), ("ANDI PRATAMA, S.T., M.T.", NOTES["to_sub_koordinator"]),
                       ("Yusuf Hidayat", NOTES["facilitated"])]:  # the admin is not in the staff directory
        assert name in sheet and note in sheet
    assert "ANDI PRATAMA" not in text_of(app, log.case_id, "lembar_koordinasi", revision=1)
    register = text_of(app, log.case_id, "buku_register")
    assert "Selesai" in register and "Pemohon 1" in register and "Dinas Pekerjaan Umum" in register


def test_sop_c_reply_goes_up_the_paraf_chain_and_is_numbered_when_signed(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    feed(app, log.walk(scenarios()[8]))  # data wrong, redone, parts withheld
    # The berita acara of the data: each round handed over, then signed as received by the Sub Koordinator.
    assert revisions(app, log.case_id) == {"surat_masuk": 2, "surat_permintaan_data": 1, "disposisi_surat": 2,
                                           "konsep_surat_jawaban": 1, "hasil_pengolahan_data": 4, "surat_jawaban": 4,
                                           "pertinggal_surat_jawaban": 4}
    letters = {d["kind"]: d for d in queries.case_documents(app, log.case_id)}["surat_jawaban"]["revisions"]
    assert [r["number"] for r in letters] == [None, None, None, "050/001/BAPPEDA/2026"]
    signed = text_of(app, log.case_id, "surat_jawaban")
    for expected in ("050/001/BAPPEDA/2026", "HARTO, S.E., M.Si.",
                     "NIP. 19670612 199604 1 001", "Pembina Utama Muda (IV/c)", "Menindaklanjuti surat Saudara Nomor "
                     "005/1/DPU/2026 tanggal 20 November 2026", "Demikian disampaikan", "Tembusan:", "UU 14/2008 pasal 17 huruf h", "data-rkpd.csv", "5" * 40):
        assert expected in signed.replace(" ", "") or expected in signed
    # The copy sent carries no paraf: tata naskah dinas keeps the chain on the archive copy.
    for initialled in ("RINA OKTAVIANI", "ANDI PRATAMA", "HENDRA WIJAYA", "Paraf"):
        assert initialled not in signed
    archive = text_of(app, log.case_id, "pertinggal_surat_jawaban")
    for expected in ("PERTINGGAL (ARSIP)", "Tidak untuk dikirim", "Paraf koordinasi", "RINA OKTAVIANI, S.E.",
                     "ANDI PRATAMA", "HENDRA WIJAYA", "HARTO, S.E., M.Si.", "050/001/BAPPEDA/2026"):
        assert expected in archive
    assert "HENDRA WIJAYA" not in text_of(app, log.case_id, "pertinggal_surat_jawaban", revision=2)
    data = text_of(app, log.case_id, "hasil_pengolahan_data")
    assert NOTES["data_prepared"] in data and "data-rkpd.csv" in data and "DEWI LESTARI, A.Md." in data


def test_an_unsigned_reply_names_who_is_to_sign_and_waits_for_the_signature(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    messages = log.walk(scenarios()[8])
    feed(app, messages[:next(i for i, m in enumerate(messages) if getattr(m, "step", None) == 10)])  # not signed yet
    for kind in ("surat_jawaban", "pertinggal_surat_jawaban"):
        unsigned = text_of(app, log.case_id, kind)
        for expected in ("KEPALA BADAN PERENCANAAN", "KONSEP, menunggu tanda tangan", "HARTO, S.E., M.Si.",
                         "Pembina Utama Muda (IV/c)", "NIP. 19670612 199604 1 001", "(belum bernomor)"):
            assert expected in unsigned, (kind, expected)
        assert "(belum ditandatangani)" not in unsigned and " - NIP" not in unsigned


def test_an_incomplete_request_gets_a_written_notice_signed_by_the_head(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    feed(app, log.open() + [log.complete(2, "incomplete")])
    assert "pemberitahuan_tertulis" not in revisions(app, log.case_id)  # the head decides at step 3
    feed(app, [log.complete(3, "incomplete"), log.close("incomplete")])
    assert revisions(app, log.case_id) == {"surat_masuk": 2, "surat_permintaan_data": 1, "disposisi_surat": 1,
                                           "pemberitahuan_tertulis": 1}
    notice = text_of(app, log.case_id, "pemberitahuan_tertulis")
    for expected in ("Nomor : 050/001/BAPPEDA/2026", "Hal : Pemberitahuan permohonan informasi publik belum lengkap",
                     "Yth. Pemohon 1", "Menindaklanjuti surat Saudara Nomor 005/1/DPU/2026 tanggal 20 November 2026",
                     "nomor pendaftaran REG/2026/000001", "belum dapat kami proses karena belum lengkap",
                     f"Alasan : {NOTES['incomplete']}", "Dasar hukum : UU 14/2008 pasal 4 ayat (3)",
                     "mengajukan kembali permohonan", "berhak mengajukan keberatan secara tertulis kepada atasan",
                     "30 (tiga puluh) hari kerja", "pasal 35 sampai dengan pasal 37", "Komisi Informasi",
                     "Demikian disampaikan", "HARTO, S.E., M.Si.", "NIP. 19670612 199604 1 001", "Tembusan:"):
        assert expected in notice, expected
    assert "KONSEP" not in notice
    listed = {d["kind"]: d for d in queries.case_documents(app, log.case_id)}["pemberitahuan_tertulis"]
    assert listed["status"] == "signed" and listed["number"] == "050/001/BAPPEDA/2026"


def test_a_refusal_is_the_heads_signature_on_its_notice_and_a_v1_case_keeps_v1(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    feed(app, log.walk(next(s for s in scenarios() if s.title == "request refused")))
    notice = text_of(app, log.case_id, "pemberitahuan_tertulis")
    for expected in ("Nomor : 050/001/BAPPEDA/2026", "Hal : Pemberitahuan penolakan permohonan informasi publik",
                     "tidak dapat kami penuhi (ditolak)", f"Alasan : {NOTES['refused']}",
                     "pasal 22 ayat (7) huruf c dan pasal 17", "keberatan secara tertulis", "HARTO, S.E., M.Si."):
        assert expected in notice, expected
    assert "mengajukan kembali" not in notice and "KONSEP" not in notice
    old = CaseLog("sop-c", 2, sop_version=1)  # started before the notice was in the SOP: ends as it did
    feed(app, old.open() + [old.complete(2, "verified"), old.complete(3, "refused"), old.close("refused")])
    assert revisions(app, old.case_id) == {"surat_masuk": 2, "surat_permintaan_data": 1, "disposisi_surat": 1}


def test_a_redone_draft_is_a_new_version_of_the_konsep(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    moves = [(2, "verified"), (3, "approved"), (4, "dispositioned"), (5, "drafted"), (6, "data_prepared")]
    feed(app, log.open() + [log.complete(*m) for m in moves])
    feed(app, [log.complete(7, "data_wrong", "Tahun salah", draft="Konsep kedua dengan data 2025.")])
    assert revisions(app, log.case_id)["konsep_surat_jawaban"] == 2
    konsep = text_of(app, log.case_id, "konsep_surat_jawaban")
    assert "Konsep kedua dengan data 2025." in konsep and "Tahun salah" in konsep and "KONSEP" in konsep


def test_out_of_order_delivery_issues_the_same_documents_as_in_order(tmp_path):
    # SQLite: the in-memory store only remembers the highest position it tracked.
    in_order, shuffled = documents(tmp_path / "a", "sqlite"), documents(tmp_path / "b", "sqlite")
    log = CaseLog("sop-c")
    messages = log.walk(scenarios()[7])
    feed(in_order, messages)
    mixed = messages[:]
    random.Random(7).shuffle(mixed)
    feed(shuffled, mixed)
    digests = [[(kind, r["revision"], r["data_digest"], r["facts_through"])
                for kind, revs in app.case_file(log.case_id).documents.items() for r in revs]
               for app in (in_order, shuffled)]
    # 11, the pertinggal beside each reply, the berita acara twice (handed over, received)
    assert digests[0] == digests[1] and len(digests[0]) == 16
    for kind, revision, _, _ in digests[0]:
        assert fetch(in_order, log.case_id, kind, revision) == fetch(shuffled, log.case_id, kind, revision)


def test_a_fact_applied_twice_or_republished_is_filed_once(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    opened, submitted = log.open()
    assert app.handle_message(opened) and app.handle_message(submitted)
    assert not app.handle_message(submitted)
    assert not app.handle_message(submitted.model_copy(update={"position": submitted.position + 1000}))
    assert revisions(app, log.case_id) == {"surat_masuk": 1}


def test_a_late_reclaimed_delivery_is_still_filed(tmp_path):
    app = documents(tmp_path, "sqlite")
    early, late = CaseLog("sop-a"), CaseLog("sop-c")
    early_messages, late_messages = early.open(), late.open()
    feed(app, late_messages)
    feed(app, early_messages)
    assert revisions(app, early.case_id) == {"buku_tamu": 1} and revisions(app, late.case_id) == {"surat_masuk": 1}


def test_only_routings_facts_are_filed(tmp_path):
    app, log = documents(tmp_path), CaseLog("sop-c")
    opened, submitted = log.open()
    elsewhere = submitted.model_copy(update={"source": "intake", "type": "RequestSubmitted"})
    assert not app.handle_message(elsewhere)
    assert queries.case_documents(app, log.case_id) is None  # never heard of


def test_every_revision_renders_again_byte_identical_from_the_log(tmp_path):
    app = documents(tmp_path)
    logs = [CaseLog(s.sop_id, n) for n, s in enumerate(scenarios())]
    for log, scenario in zip(logs, scenarios()):
        feed(app, log.walk(scenario))
    fetched = 0
    for log in logs:
        for kind, revs in app.case_file(log.case_id).documents.items():
            for recorded in revs[::2]:  # half of them fetched: the others are compared by their fields only
                fetch(app, log.case_id, kind, recorded["revision"])
                fetched += 1
    report = rerender_all(app)
    assert report.identical and report.revisions > 60 and report.rendered == fetched > 30
