"""Documents files each completed step's output records, once."""
from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta, timezone

from services.documents.application import Documents
from shared.clock import FixedClock
from shared.contracts import EventMessage, stable_event_id
from shared.eventstore import store_env
from shared.roles import ActingAs
from shared.settings import Settings
from shared.sop.loader import SopLibrary

LIBRARY = SopLibrary.from_directory()
T0 = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)  # Wednesday 10:00 in Ketapang
MEMORY = Settings(persistence="memory")


class RoutingLog:
    """The messages routing publishes for one case, with the positions of one shared stream."""

    positions = itertools.count(1)

    def __init__(self, sop_id: str):
        self.sop = LIBRARY.latest(sop_id)
        self.case_id, self.version, self.at = str(uuid.uuid4()), 0, T0

    def message(self, type_: str, **fields) -> EventMessage:
        self.version += 1
        return EventMessage(event_id=stable_event_id(self.case_id, self.version), type=type_, source="routing",
                            position=next(self.positions), case_id=self.case_id, sop_id=self.sop.id,
                            sop_version=self.sop.version, occurred_at=self.at, recorded_at=self.at, **fields)

    def open(self) -> list[EventMessage]:
        start = self.sop.step(self.sop.start)
        opened = self.message("CaseOpened", data={"current_step": start.number, "current_role": start.role})
        return [opened, self.complete(start.number, start.decisions[0].id)]

    def complete(self, step: int, decision: str, note: str | None = None) -> EventMessage:
        self.at += timedelta(minutes=20)
        role = self.sop.step(step).role
        following = self.sop.step(step).decision(decision).next
        return self.message("StepCompleted", step=step, decision=decision, note=note,
                            actor=ActingAs(id=f"u-{role}", name=f"User {role}", role=role),
                            data={"next_step": following, "next_role": following and self.sop.step(following).role})


def documents() -> Documents:
    return Documents(LIBRARY, FixedClock(T0 + timedelta(days=1)), env=store_env(MEMORY, "documents"))


def filed(app: Documents, case_id: str) -> list[tuple[int, str]]:
    return [(r["step"], r["output"]) for r in app.outputs(case_id)]


def test_sop_a_files_each_steps_outputs_with_who_and_what():
    app, log = documents(), RoutingLog("sop-a")
    moves = [(2, "registered", None), (4, "to_sub_koordinator", None), (5, "needs_admin", None),
             (6, "facilitated", "Dibantu login SIPD"), (7, "recorded", None), (8, "received", None)]
    for message in log.open() + [log.complete(*move) for move in moves]:
        app.handle_message(message)
    assert filed(app, log.case_id) == [
        (1, "buku_tamu"), (2, "buku_register"), (2, "lembar_koordinasi"), (4, "lembar_koordinasi"),
        (5, "lembar_koordinasi"), (6, "lembar_koordinasi"), (7, "lembar_koordinasi"), (8, "lembar_hasil_koordinasi"),
    ]
    facilitated = app.outputs(log.case_id)[5]
    assert facilitated["actor"] == {"id": "u-admin_aplikasi", "name": "User admin_aplikasi", "role": "admin_aplikasi"}
    assert (facilitated["decision"], facilitated["note"]) == ("facilitated", "Dibantu login SIPD")
    assert facilitated["occurred_at"] == T0 + timedelta(minutes=100)
    assert facilitated["recorded_at"] == T0 + timedelta(days=1)


def test_sop_c_files_again_what_a_step_redoes():
    app, log = documents(), RoutingLog("sop-c")
    moves = [(2, "verified"), (3, "approved"), (4, "dispositioned"), (5, "drafted"), (6, "data_prepared"),
             (7, "data_wrong", "Tahun salah"), (6, "data_prepared"), (7, "verified"), (8, "initialled"),
             (9, "initialled"), (10, "signed"), (11, "handed_over"), (12, "received")]
    messages = log.open() + [log.complete(*move) for move in moves]
    for message in messages:
        app.handle_message(message)
    assert filed(app, log.case_id) == [
        (1, "surat_masuk"), (2, "surat_permintaan_data"), (3, "disposisi_surat"), (4, "disposisi_surat"),
        (5, "konsep_surat_jawaban"), (6, "hasil_pengolahan_data"), (7, "surat_jawaban"), (6, "hasil_pengolahan_data"),
    ] + [(step, "surat_jawaban") for step in (7, 8, 9, 10, 11, 12)]
    sources = [r["source_event_id"] for r in app.outputs(log.case_id)]
    assert sources == [m.event_id for m in messages if m.type == "StepCompleted"]


def test_a_message_applied_twice_is_filed_once():
    app, log = documents(), RoutingLog("sop-c")
    opened, submitted = log.open()
    assert not app.handle_message(opened)  # nothing to file: step 1 arrives as its own StepCompleted
    assert app.handle_message(submitted) and not app.handle_message(submitted)
    republished = submitted.model_copy(update={"position": submitted.position + 1000})
    assert not app.handle_message(republished)  # the same completion under another position
    assert filed(app, log.case_id) == [(1, "surat_masuk")]


def test_a_message_applied_late_is_still_filed(tmp_path):
    # A reclaimed delivery is applied after later positions; it must be filed, not skipped as seen.
    app = Documents(LIBRARY, FixedClock(T0), env=store_env(Settings(persistence="sqlite", data_dir=tmp_path),
                                                           "documents"))
    early, late = RoutingLog("sop-a"), RoutingLog("sop-c")
    (_, delayed), (_, on_time) = early.open(), late.open()
    assert app.handle_message(on_time)
    assert app.handle_message(delayed) and not app.handle_message(delayed)
    assert filed(app, early.case_id) == [(1, "buku_tamu")] and filed(app, late.case_id) == [(1, "surat_masuk")]


def test_only_routings_step_completions_file_anything():
    app, log = documents(), RoutingLog("sop-c")
    opened, submitted = log.open()
    elsewhere = submitted.model_copy(update={"source": "intake", "type": "RequestSubmitted"})
    assert not app.handle_message(opened) and not app.handle_message(elsewhere)
    assert app.outputs(log.case_id) == [] and app.outputs(str(uuid.uuid4())) == []
    for message in [submitted, log.complete(2, "verified"), log.complete(3, "refused", "Bukan informasi publik")]:
        assert app.handle_message(message)
    assert not app.handle_message(log.message("CaseClosed", data={"outcome": "refused"}))
    assert filed(app, log.case_id) == [(1, "surat_masuk"), (2, "surat_permintaan_data"), (3, "disposisi_surat")]
    assert app.outputs(log.case_id)[-1]["note"] == "Bukan informasi publik"
