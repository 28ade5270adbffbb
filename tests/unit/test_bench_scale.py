"""make bench-scale's pure parts: the ratio table and issue 9's goals read from it, and the seeder's form,
which must be what POST /requests hands to intake, and the CRUD seeding, which must leave rows its API reads."""
from system.demo import submission
from tests.benchmarks.crud_store import CrudStore
from tests.benchmarks.scale_report import RSS_GOAL_MIB, goals, ratio, rows
from tests.benchmarks.scale_seed import form_of, seed_crud


def latency(p50: float, p99: float) -> dict:
    return {"n": 200, "p50_ms": p50, "p99_ms": p99, "max_ms": p99}


def run(rss: dict, peak: dict, submit: tuple[float, float]) -> dict:
    steady = latency(1.0, 2.0)
    return {"rss_after_start_mib": rss, "peak_rss_mib": peak, "submit": latency(*submit), "visible": steady,
            "register_page": steady, "old_case": steady}


RUNS = {("system", 100): run({"intake": 90.0}, {"intake": 95.0}, (10.0, 30.0)),
        ("system", 100_000): run({"intake": 150.0}, {"intake": 180.0, "documents workers": 300.0}, (11.0, 60.0)),
        ("crud", 100): run({"crud": 50.0}, {"crud": 52.0}, (1.0, 5.0)),
        ("crud", 100_000): run({"crud": 54.0}, {"crud": 60.0}, (2.0, 8.0))}


def test_each_figure_is_given_at_both_sizes_for_each_target_and_empty_where_a_target_has_no_such_process():
    table = {name: values for name, *values in rows(RUNS, 100, 100_000)}
    assert table["peak RSS in the burst, intake (MiB)"] == [95.0, 180.0, None, None]
    assert table["RSS after start, crud (MiB)"] == [None, None, 50.0, 54.0]
    assert table["submit → 201 p50 (ms)"] == [10.0, 11.0, 1.0, 2.0]
    assert ratio(11.0, 10.0) == 1.1 and ratio(None, 1.0) is None and ratio(1.0, 0.0) is None


def test_the_goals_take_the_highest_rss_of_any_service_and_the_ratio_of_the_submit_medians():
    (rss_goal, rss_met, rss_why), (lat_goal, lat_met, lat_why) = goals(RUNS, 100_000, 100)
    assert rss_met and "intake 180 MiB" in rss_why  # a pool's workers, summed, are not one service process
    assert lat_met and "1.10×" in lat_why and "2.00×" in lat_why  # p99 is shown, the goal is read on p50
    over = RUNS | {("system", 100_000): run({"sla": RSS_GOAL_MIB + 1}, {"sla": 100.0}, (13.0, 30.0))}
    (_, rss_met, rss_why), (_, lat_met, _) = goals(over, 100_000, 100)
    assert not rss_met and "sla" in rss_why and not lat_met
    taking_in = RUNS | {("system", 100_000): RUNS[("system", 100_000)] | {"working_off_peak_mib": {"sla": 250.0}}}
    (_, rss_met, rss_why), _ = goals(taking_in, 100_000, 100)
    assert not rss_met and "sla 250 MiB" in rss_why  # a service that took the N cases in since its start counts


def test_a_goal_not_measured_says_so():
    only_large = {("system", 100_000): RUNS[("system", 100_000)]}
    assert [met for _, met, _ in goals(only_large, 100_000, 100)] == [True]
    assert goals({}, 100_000, 100) == []


def test_the_seeded_form_is_the_validated_body_without_the_sop_and_with_no_empty_fields():
    form = form_of(7)
    body = submission("sop-c", 7)
    assert "sop_id" not in form and form["subject"] == body["subject"] and form["letter"]["number"] == "005/7/DPU/2026"
    assert form["applicant"] == body["applicant"]


def test_seeded_crud_cases_are_read_back_in_book_order(tmp_path):
    seed_crud(tmp_path / "crud.db", 3)
    page = CrudStore(tmp_path / "crud.db").register(10)
    assert [r["register_number"].split("/")[0] for r in page] == ["0001", "0002", "0003"]
    assert {r["current_step"] for r in page} == {2}
