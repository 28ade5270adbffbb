"""Capaian kinerja numbers from a hand-built visit list: counts, on-time %, median, p90, the period, totals,
the Permenpan RB 35/2012 monitoring rows, the CSV and the JSON."""
from __future__ import annotations

import csv
from datetime import date, datetime, timedelta, timezone

import pytest

from services.sla.report import ACTIONS, KEEP, Report, capaian_kinerja
from services.sla.report_routes import STEP_COLUMNS, to_csv
from services.sla.visits import Visit
from shared.sop.loader import SopLibrary

LIBRARY = SopLibrary.from_directory()
WIB = timezone(timedelta(hours=7))  # Asia/Pontianak has no daylight saving
FIRST, LAST = date(2026, 1, 1), date(2026, 6, 30)


def visit(sop_id: str, step: int, worked_h: float | None, on_time: bool | None, completed_at: datetime | None,
          case_id: str = "c1", started_at: datetime | None = None) -> Visit:
    s = LIBRARY.latest(sop_id).step(step)
    standard_h = float(s.standard_time.hours) + float(s.standard_time.days) * 8.5  # 07:30-16:00 is one "hari"
    start = started_at or completed_at - timedelta(hours=worked_h)
    return Visit(case_id=case_id, sop_id=sop_id, sop_version=1, step=step, role=s.role, visit=step, started_at=start,
                 standard=s.standard_time.label(), standard_seconds=standard_h * 3600,
                 due_at=start + timedelta(hours=standard_h), completed_at=completed_at,
                 working_seconds=None if worked_h is None else worked_h * 3600, on_time=on_time,
                 at_risk_at=None, breached_at=None)


def in_march(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=WIB)


def sample() -> list[Visit]:
    """SOP C: step 2 three of four on time, step 6 three of five; SOP B: all on time; SOP A: nothing."""
    step_2 = [visit("sop-c", 2, h, ok, in_march(2 + i), f"c{i}") for i, (h, ok) in
              enumerate([(1 / 6, True), (1 / 3, True), (0.5, True), (1.0, False)])]
    step_6 = [visit("sop-c", 6, h, ok, in_march(10 + i), f"c{i}") for i, (h, ok) in
              enumerate([(4, True), (8, True), (8.5, True), (17, False), (25.5, False)])]
    sop_b = [visit("sop-b", 2, 0.25, True, in_march(20 + i), f"b{i}") for i in range(2)]
    return step_2 + step_6 + sop_b


def row(report: Report, sop_id: str, step: int):
    return next(r for r in report.rows if (r.sop_id, r.step) == (sop_id, step))


def test_count_on_time_median_and_p90_per_step_against_the_standard():
    report = capaian_kinerja(sample(), LIBRARY, FIRST, LAST)
    clerk, data = row(report, "sop-c", 2), row(report, "sop-c", 6)
    assert (clerk.role, clerk.count, clerk.on_time, clerk.on_time_pct) == ("petugas_tu", 4, 3, 75.0)
    assert (clerk.median_hours, clerk.p90_hours, clerk.standard, clerk.standard_hours) == (0.42, 0.85, "0,5 jam", 0.5)
    assert (data.role, data.count, data.on_time, data.on_time_pct) == ("staf_data", 5, 3, 60.0)
    assert (data.median_hours, data.p90_hours, data.standard, data.standard_hours) == (8.5, 22.1, "1 hari", 8.5)
    untouched = row(report, "sop-c", 3)
    assert (untouched.count, untouched.on_time_pct, untouched.p90_hours) == (0, None, None)


def test_rows_follow_each_sops_step_order_with_its_official_numbers():
    report = capaian_kinerja(sample(), LIBRARY, FIRST, LAST)
    for sop in LIBRARY.all():
        assert [(r.step, r.role) for r in report.rows if r.sop_id == sop.id] == [(s.number, s.role) for s in sop.steps]
    assert [r.step for r in report.rows if r.sop_id == "sop-a"] == [1, 2, 4, 5, 6, 7, 8]  # no step 3 in SOP A


def test_the_period_counts_completions_by_their_date_in_pontianak():
    new_year = datetime(2025, 12, 31, 17, 30, tzinfo=timezone.utc)  # 1 January 2026, 00:30 WIB: inside
    after = datetime(2026, 6, 30, 17, 30, tzinfo=timezone.utc)  # 1 July 2026, 00:30 WIB: outside
    before = datetime(2025, 12, 31, 16, 30, tzinfo=timezone.utc)  # 31 December 2025, 23:30 WIB: outside
    visits = [visit("sop-b", 2, 0.2, True, at, f"b{i}") for i, at in enumerate((new_year, after, before))]
    assert row(capaian_kinerja(visits, LIBRARY, FIRST, LAST), "sop-b", 2).count == 1
    assert row(capaian_kinerja(visits, LIBRARY, date(2026, 7, 1), date(2026, 7, 1)), "sop-b", 2).count == 1


def test_visits_open_at_the_period_end_and_those_already_past_due():
    end_day = datetime(2026, 6, 30, 10, tzinfo=WIB)
    visits = [visit("sop-b", 2, None, None, None, "late", started_at=end_day),  # due 10:30, still open
              visit("sop-b", 2, 20, False, datetime(2026, 7, 1, 9, tzinfo=WIB), "done-later",
                    started_at=end_day.replace(hour=23, minute=50)),  # due 00:20 on 1 July: open, not yet late
              visit("sop-b", 2, None, None, None, "next", started_at=end_day + timedelta(days=2))]  # after the end
    clerk = row(capaian_kinerja(visits, LIBRARY, FIRST, LAST), "sop-b", 2)
    assert (clerk.count, clerk.open_at_end, clerk.overdue_at_end) == (0, 2, 1)


def test_per_sop_totals():
    totals = {t.sop_id: t for t in capaian_kinerja(sample(), LIBRARY, FIRST, LAST).totals}
    c = totals["sop-c"]
    assert (c.title, c.cases, c.count, c.on_time, c.on_time_pct) == (
        "SOP C: Permintaan Informasi Pembangunan Daerah", 5, 9, 6, 66.7)
    assert (totals["sop-b"].count, totals["sop-b"].on_time_pct, totals["sop-a"].count) == (2, 100.0, 0)


def test_monitoring_says_whether_each_sop_runs_well_and_names_the_weakest_step():
    rows = {m.sop_id: m for m in capaian_kinerja(sample(), LIBRARY, FIRST, LAST).monitoring}
    assert [(m.no, m.dilaksanakan) for m in rows.values()] == [(1, "Tidak"), (2, "Ya"), (3, "Tidak")]
    assert rows["sop-c"].prosedur == "SOP C: Permintaan Informasi Pembangunan Daerah"
    assert rows["sop-c"].catatan == ("66,7 % langkah tepat waktu (target 80 %). Terlemah: Langkah 6 (staf_data): "
                                     "60 % tepat waktu, p90 2,6 hari vs standar 1 hari")
    assert rows["sop-c"].tindakan.startswith("Evaluasi beban kerja staf pengolah data")
    assert rows["sop-b"].tindakan == KEEP
    assert rows["sop-a"].catatan == "Tidak ada langkah selesai pada periode ini"


def test_one_step_below_the_floor_makes_an_sop_not_run_well_even_above_target():
    visits = ([visit("sop-b", 2, 0.25, True, in_march(1 + i), f"b{i}") for i in range(10)]
              + [visit("sop-b", 4, 2, i == 0, in_march(1 + i), f"b{i}") for i in range(3)])
    report = capaian_kinerja(visits, LIBRARY, FIRST, LAST)
    sop_b = next(m for m in report.monitoring if m.sop_id == "sop-b")
    assert next(t for t in report.totals if t.sop_id == "sop-b").on_time_pct == 84.6
    assert sop_b.dilaksanakan == "Tidak"
    assert "Langkah 4 (kabid): 33,3 % tepat waktu, p90 2 jam vs standar 1 jam" in sop_b.catatan
    assert sop_b.tindakan == ACTIONS["kabid"]
    assert capaian_kinerja(visits, LIBRARY, FIRST, LAST, on_time_target=0.9, step_floor=0.3).monitoring[1] \
        .dilaksanakan == "Tidak"  # 84.6 % < 90 %


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        capaian_kinerja([], LIBRARY, LAST, FIRST)


def test_csv_has_indonesian_headers_a_row_per_step_and_a_total_per_sop():
    lines = list(csv.reader(to_csv(capaian_kinerja(sample(), LIBRARY, FIRST, LAST)).splitlines()))
    assert tuple(lines[0]) == STEP_COLUMNS
    assert lines[0][:4] == ["SOP", "Prosedur", "Langkah", "Peran"]
    title = "SOP C: Permintaan Informasi Pembangunan Daerah"
    assert ["sop-c", title, "6", "staf_data", "1 hari", "8.5", "5", "3", "60.0", "8.5", "22.1", "0", "0"] in lines
    assert ["sop-c", title, "Jumlah", "", "", "", "9", "6", "66.7", "", "", "0", "0"] in lines
    assert len(lines) == 1 + sum(len(s.steps) + 1 for s in LIBRARY.all())


def test_csv_of_the_monitoring_table():
    lines = list(csv.reader(to_csv(capaian_kinerja(sample(), LIBRARY, FIRST, LAST), "monitoring").splitlines()))
    assert lines[0] == ["No", "Prosedur", "Dilaksanakan (Ya/Tidak)", "Catatan", "Tindakan"]
    assert [line[2] for line in lines[1:]] == ["Tidak", "Ya", "Tidak"]


def test_json_round_trip():
    report = capaian_kinerja(sample(), LIBRARY, FIRST, LAST)
    assert Report.model_validate_json(report.model_dump_json()) == report
