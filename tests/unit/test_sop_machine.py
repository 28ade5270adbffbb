"""The SOP state machine: every path through every branch, and every refusal."""
from __future__ import annotations

import pytest

from shared.roles import Actor
from shared.sop.loader import SopLibrary
from shared.sop.machine import Refused, decide
from shared.sop.schema import SopDefinition

NOTE = frozenset({"note"})
DRAFT = frozenset({"draft"})
FILES = frozenset({"attachments"})
WITHHELD = frozenset({"withheld_parts"})
NOTHING: frozenset[str] = frozenset()

LIBRARY = SopLibrary.from_directory()


def actor(*roles: str) -> Actor:
    return Actor(id=f"u-{'-'.join(roles)}", name="Test Actor", roles=roles)


def walk(sop_id: str, moves: list[tuple[int, str, str, frozenset[str]]], outcome: str,
         version: int | None = None) -> None:
    """Plays (step, decision, role, provided) moves from the start, each at the step the last led to, on the
    SOP's `version` (None: the newest)."""
    sop = LIBRARY.get(sop_id, version) if version else LIBRARY.latest(sop_id)
    current: int | None = sop.start
    for step, decision, role, provided in moves:
        assert current == step, f"expected to stand on step {step}, stand on {current}"
        transition = decide(sop, current, step, decision, actor(role), provided)
        current = transition.next_step
        assert (current is None) == (transition.outcome is not None)
        last = transition
    assert current is None, f"case still open at step {current}"
    assert last.outcome == outcome


A_INTAKE = [(1, "submitted", "pemohon", NOTHING), (2, "registered", "petugas_tu", NOTHING)]
A_CLOSE = [(7, "recorded", "petugas_tu", NOTHING), (8, "received", "pemohon", NOTHING)]
B_INTAKE = A_INTAKE
B_CLOSE = [(5, "answered", "sub_koordinator", NOTE), (6, "recorded", "petugas_tu", NOTHING),
           (7, "received", "pemohon", NOTHING)]
C_INTAKE = [(1, "submitted", "pemohon", NOTHING), (2, "verified", "petugas_tu", NOTHING)]
C_MIDDLE = [(3, "approved", "kepala_badan", NOTHING), (4, "dispositioned", "kabid", NOTHING),
            (5, "drafted", "sub_koordinator", DRAFT), (6, "data_prepared", "staf_data", FILES)]
C_CLOSE = [(8, "initialled", "kabid", NOTHING), (9, "initialled", "sekretaris", NOTHING),
           (10, "signed", "kepala_badan", FILES), (11, "handed_over", "petugas_tu", NOTHING),
           (12, "received", "pemohon", NOTHING)]


@pytest.mark.parametrize(("sop_id", "moves", "outcome"), [
    pytest.param("sop-a", A_INTAKE + [(4, "to_sub_koordinator", "kabid", NOTHING),
                 (5, "needs_admin", "sub_koordinator", NOTHING),
                 (6, "facilitated", "admin_aplikasi", NOTE)] + A_CLOSE, "completed", id="A-full"),
    pytest.param("sop-a", A_INTAKE + [(4, "to_admin_aplikasi", "kabid", NOTHING),
                 (6, "facilitated", "admin_aplikasi", NOTE)] + A_CLOSE, "completed", id="A-skip-sub"),
    pytest.param("sop-a", A_INTAKE + [(4, "to_sub_koordinator", "kabid", NOTHING),
                 (5, "settled_by_sub_koordinator", "sub_koordinator", NOTE)] + A_CLOSE,
                 "completed", id="A-settled-by-sub"),
    pytest.param("sop-a", A_INTAKE + [(4, "not_this_division", "kabid", NOTE)],
                 "not_this_division", id="A-not-this-division"),
    pytest.param("sop-b", B_INTAKE + [(4, "with_kabid", "kabid", NOTHING)] + B_CLOSE,
                 "completed", id="B-with-kabid"),
    pytest.param("sop-b", B_INTAKE + [(4, "settle_by_sub_koordinator", "kabid", NOTHING)] + B_CLOSE,
                 "completed", id="B-settled-by-sub"),
    pytest.param("sop-b", B_INTAKE + [(4, "not_this_division", "kabid", NOTE)],
                 "not_this_division", id="B-not-this-division"),
    pytest.param("sop-c", C_INTAKE + C_MIDDLE + [(7, "verified", "sub_koordinator", NOTHING)] + C_CLOSE,
                 "completed", id="C-full"),
    pytest.param("sop-c", [(1, "submitted", "pemohon", NOTHING), (2, "incomplete", "petugas_tu", NOTE),
                 (3, "incomplete", "kepala_badan", NOTE)], "incomplete", id="C-incomplete-notice-signed"),
    pytest.param("sop-c", [(1, "submitted", "pemohon", NOTHING), (2, "incomplete", "petugas_tu", NOTE),
                 (3, "approved", "kepala_badan", NOTHING)] + C_MIDDLE[1:]
                 + [(7, "verified", "sub_koordinator", NOTHING)] + C_CLOSE, "completed",
                 id="C-incomplete-yet-approved-by-the-head"),
    pytest.param("sop-c", C_INTAKE + [(3, "incomplete", "kepala_badan", NOTE)], "incomplete",
                 id="C-found-incomplete-by-the-head"),
    pytest.param("sop-c", C_INTAKE + [(3, "refused", "kepala_badan", NOTE)], "refused", id="C-refused"),
    pytest.param("sop-c", C_INTAKE + C_MIDDLE + [(7, "data_wrong", "sub_koordinator", NOTE),
                 (6, "data_prepared", "staf_data", FILES), (7, "verified", "sub_koordinator", NOTHING)]
                 + C_CLOSE, "completed", id="C-data-wrong-then-verified"),
    pytest.param("sop-c", C_INTAKE + C_MIDDLE
                 + [(7, "verified_with_withheld_parts", "sub_koordinator", WITHHELD)] + C_CLOSE,
                 "completed", id="C-withheld-parts"),
])
def test_every_path_reaches_its_outcome(sop_id: str, moves: list, outcome: str) -> None:
    walk(sop_id, moves, outcome)


def test_a_case_on_sop_c_version_1_ends_incomplete_at_step_2() -> None:
    walk("sop-c", [(1, "submitted", "pemohon", NOTHING), (2, "incomplete", "petugas_tu", NOTE)], "incomplete",
         version=1)


def paths(sop: SopDefinition) -> list[list[tuple[int, str, str, frozenset[str]]]]:
    """Every way through the SOP's graph from its start, each decision taken, each step entered at most twice
    on one path (a loop back is walked once): generated from the definition, not written by hand."""
    found: list[list[tuple[int, str, str, frozenset[str]]]] = []

    def go(number: int, so_far: list[tuple[int, str, str, frozenset[str]]]) -> None:
        step = sop.step(number)
        for d in step.decisions:  # type: ignore[union-attr]
            path = so_far + [(number, d.id, step.role, frozenset(d.requires))]  # type: ignore[union-attr]
            if d.end:
                found.append(path)
            elif [m[0] for m in path].count(d.next) < 2:
                go(d.next, path)  # type: ignore[arg-type]
    go(sop.start, [])
    return found


@pytest.mark.parametrize("sop", LIBRARY.all(), ids=lambda s: f"{s.id}.v{s.version}")
def test_every_generated_path_of_every_version_ends_as_its_last_decision_says(sop: SopDefinition) -> None:
    generated = paths(sop)
    for path in generated:
        last = sop.step(path[-1][0]).decision(path[-1][1])  # type: ignore[union-attr]
        walk(sop.id, path, last.end, sop.version)  # type: ignore[union-attr, arg-type]
    taken = {(m[0], m[1]) for path in generated for m in path}
    assert taken == {(s.number, d.id) for s in sop.steps for d in s.decisions}  # every decision on some path


def refusal(sop: SopDefinition, current: int | None, step: int, decision: str,
            who: Actor, provided: frozenset[str] = NOTHING) -> Refused:
    with pytest.raises(Refused) as exc:
        decide(sop, current, step, decision, who, provided)
    return exc.value


def test_a_closed_case_refuses_every_decision() -> None:
    assert refusal(LIBRARY.latest("sop-a"), None, 8, "received", actor("pemohon")).code == "case_closed"


def test_a_decision_at_another_step_than_the_current_one_is_refused() -> None:
    refused = refusal(LIBRARY.latest("sop-a"), 4, 5, "needs_admin", actor("sub_koordinator"))
    assert refused.code == "wrong_step"
    assert "step 4 is" in refused.reason


def test_an_actor_without_the_step_role_is_refused_and_told_the_role() -> None:
    refused = refusal(LIBRARY.latest("sop-c"), 3, 3, "approved", actor("sekretaris"))
    assert refused.code == "wrong_role"
    assert "'kepala_badan'" in refused.reason


def test_an_unknown_decision_is_refused_with_the_allowed_ones() -> None:
    refused = refusal(LIBRARY.latest("sop-a"), 4, 4, "approved", actor("kabid"))
    assert refused.code == "unknown_decision"
    assert "to_sub_koordinator, to_admin_aplikasi, not_this_division" in refused.reason


@pytest.mark.parametrize(("sop_id", "step", "decision", "role"), [
    ("sop-a", 4, "not_this_division", "kabid"),
    ("sop-a", 5, "settled_by_sub_koordinator", "sub_koordinator"),
    ("sop-b", 5, "answered", "sub_koordinator"),
    ("sop-c", 7, "data_wrong", "sub_koordinator"),
])
def test_a_decision_that_needs_a_note_is_refused_without_one(sop_id, step, decision, role) -> None:
    refused = refusal(LIBRARY.latest(sop_id), step, step, decision, actor(role))
    assert refused.code == "missing_note"


def test_withholding_parts_without_naming_them_is_refused() -> None:
    sop = LIBRARY.latest("sop-c")
    refused = refusal(sop, 7, 7, "verified_with_withheld_parts", actor("sub_koordinator"), NOTE)
    assert refused.code == "missing_withheld_parts"


def test_an_actor_with_several_roles_may_act_for_any_of_them() -> None:
    sop = LIBRARY.latest("sop-c")
    both = actor("kabid", "sub_koordinator")
    assert decide(sop, 4, 4, "dispositioned", both).next_step == 5
    assert decide(sop, 5, 5, "drafted", both, DRAFT).next_step == 6
    assert decide(sop, 8, 8, "initialled", both).next_step == 9
    assert refusal(sop, 6, 6, "data_prepared", both).code == "wrong_role"


@pytest.mark.parametrize(("step", "decision", "role", "missing"), [
    (5, "drafted", "sub_koordinator", "missing_draft"),
    (6, "data_prepared", "staf_data", "missing_attachments"),
    (10, "signed", "kepala_badan", "missing_attachments"),
])
def test_a_step_whose_output_carries_content_cannot_complete_without_it(step, decision, role, missing) -> None:
    assert refusal(LIBRARY.latest("sop-c"), step, step, decision, actor(role)).code == missing
