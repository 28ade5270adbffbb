"""The benchmark's floor (tests/benchmarks/floor) does the work it claims: the same checks as the CRUD
baseline, every step an event in log order, projections that apply each event once."""
from tests.benchmarks.crud_baseline import actors_by_key
from tests.benchmarks.crud_store import CrudStore
from tests.benchmarks.drive import completed_paths
from tests.benchmarks.floor.wire import Command, Projection
from tests.benchmarks.floor.write_model import WriteModel
from shared.sop.loader import SopLibrary
from system.demo import KEYS

SOP_C = completed_paths()["sop-c"]


def actor(role: str) -> dict:
    return actors_by_key()[KEYS[role]].model_dump()


def test_a_case_walks_to_its_outcome_as_events_in_log_order(tmp_path):
    model, projection = WriteModel(CrudStore(tmp_path / "w.db"), SopLibrary.from_directory()), Projection(tmp_path / "p.db")
    reply, events = model.handle(Command(kind="open", case_id="c1", actor=actor("pemohon"), sop_id="sop-c",
                                         subject="s", form={}))
    assert reply["register_number"] and [e.type for e in events] == ["RequestSubmitted"]
    for step, decision, role in SOP_C.moves:
        given = ["note", "draft", "attachments", "withheld_parts"]
        reply, more = model.handle(Command(kind="step", case_id="c1", actor=actor(role), step=step,
                                           decision=decision, note="n", given=given))
        assert "error" not in reply, reply
        events += more
    assert events[-1].type == "CaseClosed" and events[-1].outcome == SOP_C.outcome
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    projection.apply(events[:5])
    projection.apply(events)  # the first five again: applied once
    assert projection.case("c1")["version"] == events[-1].version
    assert [e["seq"] for e in projection.audit("c1", 500)] == [e.seq for e in events]


def test_a_refused_step_answers_its_error_and_records_nothing(tmp_path):
    model = WriteModel(CrudStore(tmp_path / "w.db"), SopLibrary.from_directory())
    model.handle(Command(kind="open", case_id="c1", actor=actor("pemohon"), sop_id="sop-c", subject="s", form={}))
    step, decision, role = SOP_C.moves[0]
    reply, events = model.handle(Command(kind="step", case_id="c1", actor=actor("pemohon"), step=step,
                                         decision=decision, note="n"))
    assert reply["status"] == 403 and reply["error"] == "wrong_role" and events == []
    assert model.store.case("c1")["version"] == 1
