"""Intake and routing as applications over a real event store.

One story, told on every persistence module (the `eventsourcing` examples' way):
`ApplicationStory` holds the tests, each `TestOn...` subclass provides the store.
Stories that need two application objects over one store skip on POPO, whose
stores live inside each application object.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError

from services.intake.application import Intake, NumberTaken
from services.intake.domain import RegisterBook, Request
from services.intake.messages import to_message
from services.intake.views.store import ViewStore
from services.routing.application import Conflict, Routing
from services.routing.domain import Case
from services.routing.messages import message_mapper
from shared.clock import FixedClock
from shared.contracts import EventMessage, StepCommand
from shared.eventstore import store_env
from shared.roles import Actor
from shared.settings import Settings
from shared.sop.loader import SopLibrary
from shared.sop.machine import Refused
from tests.content import DRAFT, SIGNED_PDF

pytestmark = pytest.mark.integration

LIBRARY = SopLibrary.from_directory()
NOW = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)
PORTAL = Actor(id="portal", name="Portal Layanan", roles=("pemohon",))
FORM = {"subject": "Permintaan data RKPD 2027", "applicant": {"name": "Budi", "institution": "Dinas PU"}}
WITHHELD = [{"part": "NIK responden", "ground": "UU 14/2008 pasal 17 huruf h"}]
DATA_XLSX = {"sha256": "cd" * 32, "name": "rkpd-2027.xlsx", "size": 20480,
             "media_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# SOP C from step 2 (the submitter's step 1 is completed when the case opens): (step, decision, role, extra)
SOP_C_WALK: list[tuple[int, str, str, dict[str, Any]]] = [
    (2, "verified", "petugas_tu", {}),
    (3, "approved", "kepala_badan", {}),
    (4, "dispositioned", "kabid", {}),
    (5, "drafted", "sub_koordinator", {"draft": DRAFT}),
    (6, "data_prepared", "staf_data", {"attachments": [DATA_XLSX]}),
    (7, "data_wrong", "sub_koordinator", {"note": "Angka kemiskinan 2025 belum final"}),
    (6, "data_prepared", "staf_data", {"note": "Diperbaiki", "attachments": [DATA_XLSX]}),
    (7, "verified_with_withheld_parts", "sub_koordinator", {"withheld_parts": WITHHELD}),
    (8, "initialled", "kabid", {}),
    (9, "initialled", "sekretaris", {}),
    (10, "signed", "kepala_badan", {"attachments": [SIGNED_PDF]}),
    (11, "handed_over", "petugas_tu", {}),
    (12, "received", "pemohon", {}),
]


def command(case_id: str, step: int, decision: str, role: str, command_id: str | None = None,
            **extra: Any) -> StepCommand:
    return StepCommand(command_id=command_id or str(uuid4()), case_id=case_id, step=step, decision=decision,
                       actor_id=f"u-{role}", actor_name=f"Pegawai {role}", actor_roles=(role,), **extra)


def submitted_message(intake: Intake, request: Request) -> EventMessage:
    """The RequestSubmitted message intake's relay would publish for this request."""
    for notification in intake.recorder.select_notifications(start=1, limit=10_000):
        message = to_message(intake.mapper.to_domain_event(notification), notification.id)
        if message is not None and message.case_id == str(request.id):
            return message
    raise AssertionError(f"request {request.id} is not in intake's notification log")


def stored_events(app: Intake | Routing, aggregate_id: str | UUID) -> list[Any]:
    return list(app.events.get(UUID(str(aggregate_id))))


def all_at_once(*calls: Callable[[], Any]) -> list[tuple[str, Any]]:
    """Runs the calls in threads released together; ("ok", result) or ("error", exception) each."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> tuple[str, Any]:
        barrier.wait(timeout=30)
        try:
            return "ok", call()
        except Exception as exc:  # the story inspects it
            return "error", exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return [f.result(timeout=120) for f in [pool.submit(run, c) for c in calls]]


class ApplicationStory:
    """Not collected itself: each subclass supplies `settings` for its persistence module."""

    shares_store = True  # two application objects of one service see the same events

    @pytest.fixture
    def settings(self, tmp_path) -> Iterator[Settings]:  # pragma: no cover - overridden
        raise NotImplementedError

    @pytest.fixture
    def clock(self) -> FixedClock:
        return FixedClock(NOW)

    @pytest.fixture
    def make(self, settings: Settings, clock: FixedClock) -> Iterator[Callable[..., Any]]:
        """make("intake") / make("routing"): another application object over this test's store."""
        made: list[Intake | Routing] = []

        def build(service: str, app_class: type | None = None) -> Any:
            cls = app_class or {"intake": Intake, "routing": Routing}[service]
            app = cls(LIBRARY, clock, env=store_env(settings, service))
            made.append(app)
            return app

        yield build
        for app in made:
            app.close()

    def needs_shared_store(self) -> None:
        if not self.shares_store:
            pytest.skip("each POPO application object has its own store")

    def open_case(self, intake: Intake, routing: Routing, sop_id: str = "sop-c") -> str:
        message = submitted_message(intake, intake.submit(sop_id, FORM, PORTAL))
        assert routing.handle_message(message) is True
        return message.case_id

    # (a) register numbers ------------------------------------------------------------------

    def test_register_numbers_count_up_per_year_without_gaps(self, make, clock):
        intake = make("intake")
        this_year = [intake.submit("sop-b", FORM, PORTAL).register_number for _ in range(3)]
        assert this_year == [f"{n:04d}/REG/BAPPEDA/2026" for n in (1, 2, 3)]

        # the year is the agency's (Asia/Pontianak, UTC+7), not UTC's
        last_year = intake.submit("sop-a", FORM, PORTAL, occurred_at=datetime(2025, 12, 31, 16, 30, tzinfo=timezone.utc))
        new_year = intake.submit("sop-a", FORM, PORTAL, occurred_at=datetime(2025, 12, 31, 17, 30, tzinfo=timezone.utc))
        assert last_year.register_number == "0001/REG/BAPPEDA/2025"
        assert new_year.register_number == "0004/REG/BAPPEDA/2026"
        assert intake.submit("sop-c", FORM, PORTAL, occurred_at=datetime(2025, 3, 1, tzinfo=timezone.utc)
                             ).register_number == "0002/REG/BAPPEDA/2025"

        books = {year: intake.repository.get(RegisterBook.create_id(year)) for year in (2025, 2026)}
        assert {year: b.last_number for year, b in books.items()} == {2025: 2, 2026: 4}
        # the stored request carries its number
        stored = intake.repository.get(new_year.id)
        assert stored.register_number == "0004/REG/BAPPEDA/2026" and stored.sop_id == "sop-a"

    def test_a_submission_in_the_future_or_in_the_wrong_role_gets_no_number(self, make, clock):
        intake = make("intake")
        with pytest.raises(Refused) as refused:
            intake.submit("sop-b", FORM, PORTAL, occurred_at=NOW + timedelta(minutes=1))
        assert refused.value.code == "invalid_time"
        with pytest.raises(Refused) as refused:
            intake.submit("sop-b", FORM, Actor(id="k", name="Kabid", roles=("kabid",)))
        assert refused.value.code == "wrong_role"
        assert intake.submit("sop-b", FORM, PORTAL).register_number == "0001/REG/BAPPEDA/2026"

    def test_another_intake_over_the_same_store_continues_the_numbering(self, make):
        self.needs_shared_store()
        first, second = make("intake"), make("intake")
        numbers = [first.submit("sop-b", FORM, PORTAL).register_number,
                   second.submit("sop-b", FORM, PORTAL).register_number,
                   first.submit("sop-b", FORM, PORTAL).register_number]  # its cached book is behind
        assert numbers == [f"{n:04d}/REG/BAPPEDA/2026" for n in (1, 2, 3)]

    def test_concurrent_submissions_get_unique_gap_free_numbers(self, make):
        self.needs_shared_store()
        intakes = [make("intake"), make("intake")]

        def submit(intake: Intake) -> Request:
            while True:  # as the route does (cases_api.submitted), less the pause
                try:
                    return intake.submit("sop-b", FORM, PORTAL)
                except NumberTaken:
                    continue

        def twenty(intake: Intake) -> Callable[[], list[Request]]:
            return lambda: [submit(intake) for _ in range(20)]

        results = all_at_once(*(twenty(i) for i in intakes))
        errors = [r for kind, r in results if kind == "error"]
        assert not errors, errors
        requests = [request for _, batch in results for request in batch]
        numbers = sorted(int(r.register_number.split("/")[0]) for r in requests)
        assert numbers == list(range(1, 41))
        assert all(r.register_number.endswith("/REG/BAPPEDA/2026") for r in requests)

        fresh = make("intake")  # what the store says, not what the writers remember
        assert fresh.repository.get(RegisterBook.create_id(2026)).last_number == 40
        stored = [fresh.mapper.to_domain_event(n) for n in fresh.recorder.select_notifications(start=1, limit=1000)]
        submitted = [e for e in stored if isinstance(e, Request.Submitted)]
        issued = [e for e in stored if isinstance(e, RegisterBook.NumberIssued)]
        assert len(submitted) == 40 and sorted(e.number for e in issued) == list(range(1, 41))
        assert len({e.register_number for e in submitted}) == 40
        assert {e.originator_id for e in submitted} == {r.id for r in requests}

    # (b) opening a case --------------------------------------------------------------------

    def test_a_submitted_request_opens_its_case_once_when_delivered_twice(self, make):
        intake, routing = make("intake"), make("routing")
        request = intake.submit("sop-c", FORM, PORTAL)
        message = submitted_message(intake, request)
        assert message.type == "RequestSubmitted" and message.source == "intake"

        assert routing.handle_message(message) is True
        assert routing.handle_message(message) is False
        assert routing.handle_message(EventMessage.model_validate_json(message.model_dump_json(by_alias=True))) is False

        case = routing.get_case(message.case_id)
        assert case.id == request.id
        assert (case.sop_id, case.sop_version, case.register_number) == ("sop-c", LIBRARY.latest("sop-c").version, request.register_number)
        # Routing copies the applicant as sealed: the name is not in its events, its key opens it.
        assert case.subject == FORM["subject"] and intake.revealer.reveal(case.applicant) == FORM["applicant"]
        assert FORM["applicant"]["name"] not in str(case.applicant)
        assert case.current_step == 2 and case.is_open
        events = stored_events(routing, case.id)
        assert [type(e) for e in events] == [Case.Opened, Case.StepCompleted]
        assert events[1].actor == {"id": "portal", "name": "Portal Layanan", "role": "pemohon"}
        assert events[1].command_id == message.event_id
        assert routing.recorder.max_notification_id() == 2

    def test_two_routing_objects_racing_on_one_delivery_open_the_case_once(self, make):
        self.needs_shared_store()
        intake, first, second = make("intake"), make("routing"), make("routing")
        message = submitted_message(intake, intake.submit("sop-a", FORM, PORTAL))
        results = all_at_once(lambda: first.handle_message(message), lambda: second.handle_message(message))
        assert sorted(r for _, r in results) == [False, True], results
        assert second.handle_message(message) is False and first.handle_message(message) is False
        assert len(stored_events(make("routing"), message.case_id)) == 2

    # (c) a whole case ----------------------------------------------------------------------

    def test_sop_c_walked_to_the_end_publishes_opened_steps_and_closed_in_order(self, make, clock):
        intake, routing = make("intake"), make("routing")
        submitted = submitted_message(intake, intake.submit("sop-c", FORM, PORTAL))
        routing.handle_message(submitted)
        case_id = submitted.case_id
        for step, decision, role, extra in SOP_C_WALK:
            clock.advance(timedelta(minutes=30))
            case = routing.complete_step(command(case_id, step, decision, role, **extra))
        assert not case.is_open and case.outcome == "completed"

        to_msg = message_mapper(LIBRARY)
        notifications = routing.recorder.select_notifications(start=1, limit=1000)
        messages = [to_msg(routing.mapper.to_domain_event(n), n.id) for n in notifications]
        assert all(m is not None for m in messages)
        assert [m.type for m in messages] == ["CaseOpened"] + ["StepCompleted"] * (1 + len(SOP_C_WALK)) + ["CaseClosed"]
        positions = [m.position for m in messages]
        assert positions == sorted(set(positions)) and positions[0] >= 1
        assert {m.case_id for m in messages} == {case_id}
        assert all((m.source, m.sop_id, m.sop_version) == ("routing", "sop-c", LIBRARY.latest("sop-c").version) for m in messages)
        assert len({m.event_id for m in messages}) == len(messages)

        steps = [m for m in messages if m.type == "StepCompleted"]
        assert [(m.step, m.decision, m.actor.role) for m in steps] == (
            [(1, "submitted", "pemohon")] + [(s, d, r) for s, d, r, _ in SOP_C_WALK])
        assert steps[0].data.next_step == 2 and steps[0].data.next_role == "petugas_tu"
        assert steps[-1].data.next_step is None and steps[-1].data.next_role is None
        loop_back = steps[6]
        assert (loop_back.step, loop_back.note, loop_back.data.next_step) == (7, SOP_C_WALK[5][3]["note"], 6)
        assert steps[8].data.withheld_parts == WITHHELD
        occurred = [m.occurred_at for m in steps]
        assert occurred == sorted(occurred) and steps[-1].occurred_at == NOW + timedelta(minutes=30 * len(SOP_C_WALK))
        opened, closed = messages[0], messages[-1]
        assert opened.data.register_number == submitted.data.register_number
        assert opened.data.current_step == 1 and opened.data.current_role == "pemohon"
        assert closed.data.model_dump() == {"outcome": "completed", "case_version": 16} and closed.occurred_at == steps[-1].occurred_at

        # what the register makes of it, from both services' messages
        views = ViewStore(":memory:")
        for m in [submitted, *messages]:
            assert views.apply(m)
        row = views.case(case_id)
        assert row["status"] == "closed" and row["outcome"] == "completed"
        assert row["register_number"] == "0001/REG/BAPPEDA/2026" and row["closed_on"] == "2026-11-24"
        assert len(views.audit(case_id)) == 1 + len(messages)

    def test_a_refused_step_stores_nothing(self, make):
        intake, routing = make("intake"), make("routing")
        case_id = self.open_case(intake, routing)
        before = routing.recorder.max_notification_id()
        with pytest.raises(Refused) as refused:
            routing.complete_step(command(case_id, 2, "verified", "kabid"))
        assert refused.value.code == "wrong_role"
        with pytest.raises(Refused) as refused:
            routing.complete_step(command(case_id, 2, "incomplete", "petugas_tu"))
        assert refused.value.code == "missing_note"
        assert routing.recorder.max_notification_id() == before
        assert routing.get_case(case_id).current_step == 2  # the cached case was not touched
        routing.complete_step(command(case_id, 2, "verified", "petugas_tu"))
        assert routing.get_case(case_id).current_step == 3

    def test_a_step_whose_save_fails_leaves_the_cached_case_as_stored(self, make, monkeypatch):
        """Routing changes its cached case in place: a failed save must not leave the change behind."""
        intake, routing = make("intake"), make("routing")
        case_id = self.open_case(intake, routing)

        def disk_full(*aggregates, **kwargs):
            raise OSError("disk full")

        with monkeypatch.context() as patched:
            patched.setattr(routing, "save", disk_full)
            with pytest.raises(OSError):
                routing.complete_step(command(case_id, 2, "verified", "petugas_tu"))
        case = routing.get_case(case_id)
        assert (case.current_step, case.version) == (2, 2)
        routing.complete_step(command(case_id, 2, "verified", "petugas_tu"))
        assert routing.get_case(case_id).current_step == 3

    # (d) two people at the same step -------------------------------------------------------

    def test_two_routing_objects_completing_the_same_step_at_once_store_it_once(self, make):
        self.needs_shared_store()
        intake, opener = make("intake"), make("routing")
        case_id = self.open_case(intake, opener)
        racers = [make("routing"), make("routing")]
        results = all_at_once(*(lambda r=r: r.complete_step(command(case_id, 2, "verified", "petugas_tu"))
                                for r in racers))
        self.assert_one_winner(results)
        self.assert_step_stored_once(make("routing"), case_id, step=2)

    def test_two_routing_objects_that_both_read_the_case_first_store_the_step_once(self, make):
        """Both read version 2 before either saves: the store's optimistic lock decides."""
        self.needs_shared_store()
        intake, opener = make("intake"), make("routing")
        case_id = self.open_case(intake, opener)
        both_read = threading.Barrier(2)

        class ReadsThenWaits(Routing):
            name = "routing"  # same tables: an Application subclass is otherwise named after its class

            def get_case(self, case_id: str | UUID, copy: bool = True) -> Case:
                case = super().get_case(case_id, copy)
                both_read.wait(timeout=30)
                return case

        racers = [make("routing", ReadsThenWaits), make("routing", ReadsThenWaits)]
        results = all_at_once(*(lambda r=r: r.complete_step(command(case_id, 2, "verified", "petugas_tu"))
                                for r in racers))
        [loss] = self.assert_one_winner(results)
        assert isinstance(loss, Conflict)
        self.assert_step_stored_once(make("routing"), case_id, step=2)

        # the loser's object is not left believing its own attempt: it sees the stored case
        loser = racers[[kind for kind, _ in results].index("error")]
        loser_case = Routing.get_case(loser, case_id)
        assert loser_case.current_step == 3 and loser_case.version == 3
        both_read.abort()  # later reads must not wait
        with pytest.raises(Refused) as refused:
            Routing.complete_step(opener, command(case_id, 2, "verified", "petugas_tu"))
        assert refused.value.code == "wrong_step"

    def test_a_submission_whose_commit_reply_was_lost_is_the_case_it_stored(self, make):
        self.needs_shared_store()

        class CommitsThenLosesTheReply(Intake):
            name = "intake"

            def save(self, *objects: Any, **kwargs: Any) -> Any:
                super().save(*objects, **kwargs)
                raise IntegrityError("duplicate key value violates unique constraint")

        request = make("intake", CommitsThenLosesTheReply).submit("sop-b", FORM, PORTAL)
        stored = make("intake")._request(request.id)
        assert stored is not None and stored.register_number == request.register_number
        assert make("intake").submit("sop-b", FORM, PORTAL).register_number != request.register_number

    def test_a_commit_whose_reply_was_lost_is_answered_as_done_not_as_a_conflict(self, make):
        """PostgreSQL: the COMMIT went through, its reply was lost, the store tried again and met its own
        row. The caller's command is the one stored, so it must hear success, not 409."""
        self.needs_shared_store()
        intake, opener = make("intake"), make("routing")
        case_id = self.open_case(intake, opener)

        class CommitsThenLosesTheReply(Routing):
            name = "routing"

            def save(self, *objects: Any, **kwargs: Any) -> Any:
                super().save(*objects, **kwargs)
                raise IntegrityError("duplicate key value violates unique constraint")

        lossy = make("routing", CommitsThenLosesTheReply)
        assert lossy.complete_step(command(case_id, 2, "verified", "petugas_tu")).current_step == 3
        self.assert_step_stored_once(make("routing"), case_id, step=2)  # (another command's row: the races above)

    def test_the_second_of_two_sequential_attempts_is_refused_as_the_wrong_step(self, make):
        self.needs_shared_store()
        intake, first = make("intake"), make("routing")
        case_id = self.open_case(intake, first)
        second = make("routing")
        second.get_case(case_id)  # cache the case at step 2 in the second object
        first.complete_step(command(case_id, 2, "verified", "petugas_tu"))
        with pytest.raises(Refused) as refused:
            second.complete_step(command(case_id, 2, "verified", "petugas_tu"))
        assert refused.value.code == "wrong_step"
        self.assert_step_stored_once(make("routing"), case_id, step=2)

    @staticmethod
    def assert_one_winner(results: list[tuple[str, Any]]) -> list[Exception]:
        wins = [r for kind, r in results if kind == "ok"]
        losses = [r for kind, r in results if kind == "error"]
        assert len(wins) == 1 and len(losses) == 1, results
        assert wins[0].current_step == 3
        [loss] = losses
        assert isinstance(loss, Conflict) or (isinstance(loss, Refused) and loss.code == "wrong_step"), repr(loss)
        return losses

    @staticmethod
    def assert_step_stored_once(routing: Routing, case_id: str, step: int) -> None:
        events = stored_events(routing, case_id)
        assert [e.step for e in events if isinstance(e, Case.StepCompleted)] == [1, step]
        assert [e.originator_version for e in events] == list(range(1, len(events) + 1))
        assert routing.get_case(case_id).current_step == 3

    # (e) the same command again ------------------------------------------------------------

    def test_resending_a_command_returns_the_case_without_a_second_event(self, make):
        intake, routing = make("intake"), make("routing")
        case_id = self.open_case(intake, routing)
        again = command(case_id, 2, "verified", "petugas_tu", command_id="gateway-cmd-1")
        first = routing.complete_step(again)
        assert (first.current_step, first.version) == (3, 3)
        resent = routing.complete_step(again)
        assert (resent.current_step, resent.version) == (3, 3)
        assert len(stored_events(routing, case_id)) == 3

        # still idempotent after the case moved on, and once it is closed
        routing.complete_step(command(case_id, 3, "refused", "kepala_badan", note="Informasi dikecualikan"))
        assert routing.complete_step(again).version == 5
        closed = routing.get_case(case_id)
        assert not closed.is_open and closed.outcome == "refused"
        assert routing.recorder.max_notification_id() == 5

    def test_a_command_resent_to_another_routing_object_is_not_applied_twice(self, make):
        self.needs_shared_store()
        intake, routing = make("intake"), make("routing")
        case_id = self.open_case(intake, routing)
        cmd = command(case_id, 2, "verified", "petugas_tu")
        routing.complete_step(cmd)
        assert make("routing").complete_step(cmd).version == 3
        assert len(stored_events(routing, case_id)) == 3


class TestOnPOPO(ApplicationStory):
    shares_store = False

    @pytest.fixture
    def settings(self, tmp_path) -> Iterator[Settings]:
        yield Settings(persistence="memory", data_dir=tmp_path)


class TestOnSQLite(ApplicationStory):
    @pytest.fixture
    def settings(self, tmp_path) -> Iterator[Settings]:
        yield Settings(persistence="sqlite", data_dir=tmp_path / "stores")


class TestOnPostgres(ApplicationStory):
    @pytest.fixture
    def settings(self, tmp_path) -> Iterator[Settings]:
        settings = Settings(persistence="postgres", postgres_schema_prefix=f"test_apps_{uuid4().hex[:12]}")
        yield settings
        with psycopg.connect(
            host=settings.postgres_host, port=settings.postgres_port, user=settings.postgres_user,
            password=settings.postgres_password or None, dbname=settings.postgres_dbname, autocommit=True,
        ) as conn:
            for service in ("intake", "routing"):
                conn.execute(f'DROP SCHEMA IF EXISTS "{settings.postgres_schema_prefix}_{service}" CASCADE')
