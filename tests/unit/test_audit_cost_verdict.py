"""The rule bench_audit_cost judges issue 11 by, on fixed CPU per step command figures (ms) of on/off pairs."""
from tests.benchmarks.audit_cost_verdict import off_noise, pair_verdict, verdict


def test_met_when_the_median_ratio_is_within_and_no_pair_past_the_goal_by_more_than_the_noise():
    judged = verdict(on=[10.6, 10.9, 11.3], off=[10.0, 10.2, 10.4])  # ratios 1.06, 1.069, 1.087; noise 3.9 %
    assert judged.said == "met" and judged.pairs == ["within"] * 3
    assert round(judged.noise, 3) == 0.039 and round(judged.median_ratio, 3) == 1.069
    edge = verdict(on=[10.6, 11.4], off=[10.0, 10.2])  # 1.06 and 1.118: over by 1.8 points, the noise is 2 %
    assert edge.said == "met" and edge.pairs == ["within", "over (within noise)"]


def test_one_pair_past_the_goal_by_more_than_the_noise_leaves_it_not_settled():
    judged = verdict(on=[10.3, 10.5, 12.0], off=[10.0, 10.0, 10.1])  # the third 1.188, the noise 1 %
    assert judged.said == "not settled" and judged.pairs[-1] == "over"


def test_not_met_when_the_median_is_past_the_goal_and_no_pair_well_below_it():
    assert verdict(on=[11.5, 11.2, 10.95], off=[10.0, 10.1, 10.0]).said == "not met"  # 1.15, 1.109, 1.095; noise 1 %
    assert verdict(on=[11.5, 11.2, 10.5], off=[10.0, 10.1, 10.0]).said == "not settled"  # 1.05 is below by 5 points


def test_noise_wider_than_the_goal_or_a_single_pair_settles_nothing():
    assert verdict(on=[10.0, 12.0], off=[10.0, 12.0]).said == "not settled"  # off runs 18 % apart
    assert verdict(on=[10.0], off=[10.0]).said == "not settled"
    assert off_noise([10.0]) is None and pair_verdict(1.10, None) == "within" and pair_verdict(1.2, None) == "over"
