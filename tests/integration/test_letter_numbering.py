"""Letter numbers from two documents processes at once: per year, gap-free, never duplicated."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timezone

import pytest

from services.documents.application import Documents
from services.documents.bootstrap import issuer
from services.documents.numbering import LetterBook, NumberingSettings
from shared.contracts import EventMessage
from shared.eventstore import store_env
from shared.events import StepCompleted, StepData
from shared.roles import ActingAs
from shared.sop.loader import SopLibrary

pytestmark = pytest.mark.integration
SIGNED = datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc)
HEAD = ActingAs(id="kaban", name="Harto", role="kepala_badan")


def signed(position: int, at: datetime = SIGNED) -> EventMessage:
    return StepCompleted(event_id=f"signed-{position}", source="routing", position=position,
                         case_id=str(uuid.uuid4()), sop_id="sop-c", sop_version=1, step=10, actor=HEAD,
                         decision="signed", occurred_at=at, recorded_at=at, data=StepData(
                             next_step=11, next_role="petugas_tu", withheld_parts=[], command_id=f"c-{position}",
                             draft=None, attachments=[], case_version=0))  # 0: no history, filed next


def test_two_processes_signing_at_once_share_one_gap_free_sequence(store_settings):
    library = SopLibrary.from_directory()
    processes = [Documents(issuer(store_settings, library), env=store_env(store_settings, "documents"))
                 for _ in range(2)]
    batches = [[signed(p) for p in range(start, 41, 2)] for start in (1, 2)]

    def sign_all(documents: Documents, batch: list[EventMessage]) -> None:
        for message in batch:
            assert documents.handle_message(message)

    threads = [threading.Thread(target=sign_all, args=pair) for pair in zip(processes, batches)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    book: LetterBook = processes[0].repository.get(LetterBook.create_id(2026))
    numbers = sorted(book.numbered_cases.values())
    assert numbers == [f"050/{n:03d}/BAPPEDA/2026" for n in range(1, 41)]
    every = [m for batch in batches for m in batch]
    letters = {processes[1].case_file(m.case_id).latest("surat_jawaban")["number"] for m in every}
    assert letters == set(numbers)  # each signed surat jawaban carries its case's number


def test_numbers_restart_each_year_follow_the_pattern_and_are_kept_on_redelivery(store_settings):
    numbering = NumberingSettings(number_pattern="{classification}/{sequence}/{unit}/{year}", classification="000.9")
    documents = Documents(issuer(store_settings), env=store_env(store_settings, "documents"), numbering=numbering)
    late_2026 = signed(1, datetime(2026, 12, 31, 16, 30, tzinfo=timezone.utc))  # 23:30 WIB, still 2026
    new_year = signed(2, datetime(2026, 12, 31, 17, 30, tzinfo=timezone.utc))  # 00:30 WIB, 2027
    assert documents.handle_message(late_2026) and documents.handle_message(new_year)
    assert not documents.handle_message(late_2026)
    numbers = [documents.case_file(m.case_id).latest("surat_jawaban")["number"] for m in (late_2026, new_year)]
    assert numbers == ["000.9/1/BAPPEDA/2026", "000.9/1/BAPPEDA/2027"]


def test_a_number_reserved_before_a_crash_is_the_one_the_letter_gets(store_settings, monkeypatch):
    documents = Documents(issuer(store_settings), env=store_env(store_settings, "documents"))
    first, second = signed(1), signed(2)
    real_issue = documents.issuer.issue

    def crash_once(*args, **kwargs):
        monkeypatch.setattr(documents.issuer, "issue", real_issue)
        raise OSError("disk full while storing the PDF")

    monkeypatch.setattr(documents.issuer, "issue", crash_once)
    with pytest.raises(OSError):
        documents.handle_message(first)  # the number is taken, the letter is not filed: not acknowledged
    assert documents.case_file(first.case_id) is None
    assert documents.handle_message(second) and documents.handle_message(first)  # redelivered later
    numbers = [documents.case_file(m.case_id).latest("surat_jawaban")["number"] for m in (first, second)]
    assert numbers == ["050/001/BAPPEDA/2026", "050/002/BAPPEDA/2026"]
