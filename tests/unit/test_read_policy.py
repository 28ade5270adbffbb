"""The read policy is data validated like the SOP files: a broken file is refused with what is wrong."""
from __future__ import annotations

import pytest
import yaml

from shared.sop.access import DEFAULT_POLICY, ReadPolicy, acting_sops
from shared.sop.loader import DefinitionError, SopLibrary

SHIPPED = yaml.safe_load(DEFAULT_POLICY.read_text(encoding="utf-8"))


def written(tmp_path, policy: dict):
    path = tmp_path / "access.yaml"
    path.write_text(yaml.safe_dump(policy), encoding="utf-8")
    return path


@pytest.mark.parametrize("broken, named", [
    ({**SHIPPED, "reports": ["kabid", "bupati"]}, "bupati"),
    ({**SHIPPED, "case_reads": {**SHIPPED["case_reads"], "kabid": "some"}}, "case_reads.kabid"),
    ({**SHIPPED, "case_reads": {k: v for k, v in SHIPPED["case_reads"].items() if k != "operator"}}, "operator"),
    ({**SHIPPED, "extra": 1}, "extra"),
])
def test_a_broken_policy_is_refused_naming_the_problem(tmp_path, broken, named):
    with pytest.raises(DefinitionError, match=named):
        ReadPolicy.from_file(written(tmp_path, broken))


def test_the_widest_role_wins_and_acting_follows_the_sop_files():
    policy, library = ReadPolicy.from_file(), SopLibrary.from_directory()
    assert policy.scope(("pemohon",)) == "own" and policy.scope(("pemohon", "petugas_tu")) == "acting"
    assert policy.scope(("operator",)) == "none" and policy.scope(("operator", "sekretaris")) == "all"
    assert acting_sops(library, ("petugas_tu",)) == {"sop-a", "sop-b", "sop-c"}
    assert acting_sops(library, ("staf_data",)) == {s.id for s in library.all()
                                                    if any(step.role == "staf_data" for step in s.steps)}
