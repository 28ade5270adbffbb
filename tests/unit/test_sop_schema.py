"""The SOP definition schema and loader: shipped files load, broken ones are named."""
from __future__ import annotations

import copy
from decimal import Decimal

import pytest
import yaml

from shared.sop.loader import DEFAULT_DIR, DefinitionError, SopLibrary, parse_definition
from shared.sop.schema import WorkingTime


def shipped(sop_id: str) -> dict:
    return yaml.safe_load((DEFAULT_DIR / f"{sop_id}.v1.yaml").read_text(encoding="utf-8"))


def step_of(data: dict, number: int) -> dict:
    return next(s for s in data["steps"] if s["number"] == number)


def assert_rejected(data: dict, *fragments: str) -> None:
    with pytest.raises(DefinitionError) as exc:
        parse_definition(yaml.safe_dump(data), "broken.yaml")
    message = str(exc.value)
    assert message.startswith("broken.yaml: ")
    for fragment in fragments:
        assert fragment in message, message


@pytest.fixture(scope="module")
def library() -> SopLibrary:
    return SopLibrary.from_directory()


def test_the_three_shipped_definitions_load(library: SopLibrary) -> None:
    assert library.ids() == ["sop-a", "sop-b", "sop-c"]
    assert [s.code for s in library.all()] == ["A", "B", "C", "C"]
    assert [(s.id, s.version) for s in library.all()] == [("sop-a", 1), ("sop-b", 1), ("sop-c", 1), ("sop-c", 2)]


@pytest.mark.parametrize(("sop_id", "numbers"), [
    ("sop-a", [1, 2, 4, 5, 6, 7, 8]),
    ("sop-b", [1, 2, 4, 5, 6, 7]),
    ("sop-c", list(range(1, 13))),
])
def test_step_numbers_are_the_official_ones(library: SopLibrary, sop_id: str, numbers: list[int]) -> None:
    for sop in (s for s in library.all() if s.id == sop_id):  # every version keeps them
        assert [s.number for s in sop.steps] == numbers


@pytest.mark.parametrize(("sop_id", "hours", "days"), [
    ("sop-a", "4.5", "0"),
    ("sop-b", "4", "1"),
    ("sop-c", "7", "1"),
])
def test_standard_times_sum_to_the_reference(library: SopLibrary, sop_id: str, hours: str, days: str) -> None:
    for sop in (s for s in library.all() if s.id == sop_id):
        assert sum(s.standard_time.hours for s in sop.steps) == Decimal(hours)
        assert sum(s.standard_time.days for s in sop.steps) == Decimal(days)


@pytest.mark.parametrize(("time", "label"), [
    (WorkingTime(hours=0.5), "0,5 jam"), (WorkingTime(days=1), "1 hari"),
    (WorkingTime(days=10, hours=1.5), "10 hari + 1,5 jam"),
])
def test_standard_time_label_reads_like_the_sop(time: WorkingTime, label: str) -> None:
    assert time.label() == label


def test_a_step_with_an_unknown_role_is_rejected() -> None:
    data = shipped("sop-a")
    step_of(data, 6)["role"] = "tukang_kebun"
    assert_rejected(data, "step 6: unknown role 'tukang_kebun'")


def test_a_decision_going_to_a_missing_step_is_rejected() -> None:
    data = shipped("sop-a")
    step_of(data, 2)["decisions"][0]["next"] = 3
    assert_rejected(data, "step 2: decision 'registered' goes to missing step 3")


def test_an_unreachable_step_is_rejected() -> None:
    data = shipped("sop-a")
    step_of(data, 4)["decisions"][0]["next"] = 6  # nothing leads to step 5 any more
    assert_rejected(data, "step 5 is unreachable from step 1")


def test_a_definition_where_no_decision_ends_the_case_is_rejected() -> None:
    data = shipped("sop-b")
    for step in data["steps"]:
        for decision in step["decisions"]:
            if decision.pop("end", None):
                decision["next"] = 1
    assert_rejected(data, "no end: no decision closes the case")


def test_a_step_that_can_never_reach_an_end_is_rejected() -> None:
    data = shipped("sop-a")
    received = step_of(data, 8)["decisions"][0]
    del received["end"]
    received["next"] = 7  # 5..8 now loop without an end; 4 can still end as not_this_division
    assert_rejected(data, *(f"step {n} can never reach an end" for n in (5, 6, 7, 8)))


def test_a_decision_with_both_next_and_end_is_rejected() -> None:
    data = shipped("sop-a")
    step_of(data, 1)["decisions"][0]["end"] = "completed"
    assert_rejected(data, "decision 'submitted' needs exactly one of 'next' or 'end'")


def test_a_duplicate_step_number_is_rejected() -> None:
    data = shipped("sop-c")
    data["steps"].append(copy.deepcopy(step_of(data, 12)))
    assert_rejected(data, "step 12 is defined twice")


def test_a_duplicate_decision_id_is_rejected() -> None:
    data = shipped("sop-c")
    decisions = step_of(data, 7)["decisions"]
    decisions.append(copy.deepcopy(decisions[0]))
    assert_rejected(data, "step 7: decision 'verified' is defined twice")


def test_a_missing_start_step_is_rejected() -> None:
    data = shipped("sop-b")
    data["start"] = 3
    assert_rejected(data, "start step 3 does not exist")


def test_invalid_yaml_is_rejected() -> None:
    with pytest.raises(DefinitionError, match=r"^broken\.yaml: not valid YAML"):
        parse_definition("id: sop-a\nsteps: [unclosed\n", "broken.yaml")


@pytest.mark.parametrize("standard_time", [{"hours": 0}, {"hours": -1}, {"days": -1, "hours": 2}, {}])
def test_a_non_positive_standard_time_is_rejected(standard_time: dict) -> None:
    data = shipped("sop-a")
    step_of(data, 5)["standard_time"] = standard_time
    assert_rejected(data, "standard_time must be a positive number of hours or days")


def test_latest_picks_the_highest_version() -> None:
    versions = {v: parse_definition(yaml.safe_dump({**shipped("sop-a"), "version": v})) for v in (1, 3, 2)}
    library = SopLibrary(list(versions.values()))
    assert library.latest("sop-a") is versions[3]
    assert library.get("sop-a", 2) is versions[2]


def test_getting_an_unknown_version_or_sop_raises_a_clear_key_error(library: SopLibrary) -> None:
    with pytest.raises(KeyError, match="unknown SOP 'sop-a' version 9"):
        library.get("sop-a", 9)
    with pytest.raises(KeyError, match="unknown SOP 'sop-z'; known: sop-a, sop-b, sop-c"):
        library.latest("sop-z")


def test_the_same_id_and_version_twice_is_refused(library: SopLibrary) -> None:
    sop_a = library.latest("sop-a")
    with pytest.raises(DefinitionError, match="sop-a version 1 is defined twice"):
        SopLibrary([sop_a, sop_a.model_copy()])
