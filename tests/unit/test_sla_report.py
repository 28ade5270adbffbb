"""Capaian kinerja numbers from a hand-built visit list: counts, on-time %, median, p90, the period, totals,
the Permenpan RB 35/2012 monitoring rows, the CSV and the JSON."""
from __future__ import annotations

import csv
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from services.sla.report import capaian_kinerja as figures
from services.sla.report_csv import STEP_COLUMNS, to_csv
from services.sla.report_routes import kop_of, penilai_of
from services.sla.visits import Visit
from shared.agency import agency
from shared.http.sla_api import Report
from shared.letterhead import LetterheadSettings
from shared.sop.loader import SopLibrary
from shared.staff import StaffDirectory

LIBRARY = SopLibrary.from_directory()
WIB = timezone(timedelta(hours=7))  # Asia/Pontianak has no daylight saving
FIRST, LAST = date(2026, 1, 1), date(2026, 6, 30)
FORM = {"monitoring_date": date(2026, 7, 6), "kop": kop_of(LetterheadSettings()),
        "penilai": penilai_of(StaffDirectory.from_file())}
WORDS = agency().monitoring


def capaian_kinerja(visits: list[Visit], library: SopLibrary, start: date, end: date, **options) -> Report:
    """The report with the shipped kop and staff file, monitored on 6 July 2026."""
    return figures(visits, library, start, end, **FORM, **options)


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


def test_rows_follow_each_sops_step_order_with_its_official_numbers_without_the_applicants_steps():
    report = capaian_kinerja(sample(), LIBRARY, FIRST, LAST)
    for sop in LIBRARY.all():
        assert [(r.step, r.role) for r in report.rows if r.sop_id == sop.id] == [
            (s.number, s.role) for s in sop.steps if s.role != "pemohon"]
    assert [r.step for r in report.rows if r.sop_id == "sop-a"] == [2, 4, 5, 6, 7]  # no step 3; 1 and 8: pemohon


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


def test_monitoring_says_whether_each_sop_runs_well_and_which_steps_miss_the_standard():
    rows = {m.sop_id: m for m in capaian_kinerja(sample(), LIBRARY, FIRST, LAST).monitoring}
    assert [(m.no, m.dilaksanakan, m.capaian) for m in rows.values()] == [
        (1, "Tidak", "—"), (2, "Ya", "100 %"), (3, "Tidak", "66,7 %")]
    assert rows["sop-c"].prosedur == "SOP C: Permintaan Informasi Pembangunan Daerah"
    assert rows["sop-c"].catatan == (
        "Capaian 66,7 % (target 80 %); 2 dari 2 langkah belum memenuhi standar waktu: Langkah 6 (Staf / Pengolah "
        "Data) 60 %, Langkah 2 (Petugas Tata Usaha / Unit Kerja Pelayanan) 75 %")
    assert rows["sop-c"].tindakan.startswith(f"Langkah 6: {WORDS.by_role['staf_data']}")
    assert rows["sop-b"].tindakan == WORDS.keep
    assert (rows["sop-a"].catatan, rows["sop-a"].tindakan) == (
        "Tidak ada langkah yang dilaksanakan pada periode ini", WORDS.not_run)


def test_the_form_has_one_row_per_step_with_kegiatan_pelaksana_standard_counts_capaian_and_action():
    sop_c = next(m for m in capaian_kinerja(sample(), LIBRARY, FIRST, LAST).monitoring if m.sop_id == "sop-c")
    data = next(s for s in sop_c.langkah if s.step == 6)
    definition = LIBRARY.latest("sop-c").step(6)
    assert [s.step for s in sop_c.langkah] == [s.number for s in LIBRARY.latest("sop-c").steps if s.role != "pemohon"]
    assert (data.kegiatan, data.pelaksana, data.mutu_baku_waktu) == (
        definition.text, agency().roles["staf_data"], "1 hari")
    assert (data.count, data.on_time, data.overdue_at_end, data.capaian, data.penilaian) == (5, 3, 0, "60 %", "Tidak")
    assert data.catatan == "3 dari 5 tepat waktu; median 1 hari, p90 2,6 hari (standar 1 hari)"
    assert data.tindakan == WORDS.by_role["staf_data"]
    untouched = next(s for s in sop_c.langkah if s.step == 3)
    assert (untouched.capaian_pct, untouched.capaian, untouched.penilaian, untouched.tindakan) == (None, "—", None, "—")


def test_a_step_left_open_past_its_standard_is_a_miss_that_turns_ya_into_tidak():
    done = [visit("sop-b", 2, 0.25, True, in_march(2 + i), f"b{i}") for i in range(4)]
    lying = visit("sop-b", 2, None, None, None, "lying", started_at=datetime(2026, 6, 29, 9, tzinfo=WIB))
    before = next(m for m in capaian_kinerja(done, LIBRARY, FIRST, LAST).monitoring if m.sop_id == "sop-b")
    after = next(m for m in capaian_kinerja(done + [lying], LIBRARY, FIRST, LAST).monitoring if m.sop_id == "sop-b")
    assert (before.dilaksanakan, before.capaian, before.tindakan) == ("Ya", "100 %", WORDS.keep)
    clerk = after.langkah[0]  # 4 of 5: the one lying open is a miss, and 80 % still meets the target
    assert (clerk.count, clerk.on_time, clerk.overdue_at_end, clerk.capaian, clerk.penilaian) == (4, 4, 1, "80 %", "Ya")
    more = [visit("sop-b", 2, None, None, None, f"lying{i}", started_at=datetime(2026, 6, 29, 9, tzinfo=WIB))
            for i in range(2)]
    late = next(m for m in capaian_kinerja(done + more, LIBRARY, FIRST, LAST).monitoring if m.sop_id == "sop-b")
    assert (late.dilaksanakan, late.capaian, late.langkah[0].penilaian) == ("Tidak", "66,7 %", "Tidak")
    assert "2 belum selesai melewati standar (dihitung tidak tepat waktu)" in late.langkah[0].catatan
    assert late.tindakan == f"Langkah 2: {WORDS.by_role['petugas_tu']}"


def test_the_applicants_own_steps_are_absent_from_every_figure():
    applicant = [visit("sop-b", step, 0.1, True, in_march(3), "b1") for step in (1, 7)]
    report = capaian_kinerja(applicant + [visit("sop-b", 2, 2, False, in_march(3), "b1")], LIBRARY, FIRST, LAST)
    sop_b = next(m for m in report.monitoring if m.sop_id == "sop-b")
    assert "pemohon" not in {r.role for r in report.rows} | {s.role for s in sop_b.langkah}
    assert (next(t for t in report.totals if t.sop_id == "sop-b").count, sop_b.capaian) == (1, "0 %")


def test_equal_steps_name_no_weakest_and_a_tie_names_every_step_in_it():
    even = [visit("sop-b", step, 0.2, True, in_march(2), "b1") for step in (1, 2, 4, 5)]
    sop_b = next(m for m in capaian_kinerja(even, LIBRARY, FIRST, LAST).monitoring if m.sop_id == "sop-b")
    assert sop_b.catatan == "Capaian 100 % (target 80 %); 3 langkah dinilai, semua memenuhi standar waktu"
    tie = ([visit("sop-b", step, 0.2, i < 4, in_march(2 + i), f"b{i}") for step in (2, 4) for i in range(5)]
           + [visit("sop-b", 5, 0.2, True, in_march(2 + i), f"b{i}") for i in range(5)])
    sop_b = next(m for m in capaian_kinerja(tie, LIBRARY, FIRST, LAST).monitoring if m.sop_id == "sop-b")
    assert sop_b.dilaksanakan == "Ya"
    assert sop_b.catatan.endswith(f"terendah Langkah 2 ({agency().roles['petugas_tu']}) 80 %, "
                                  f"Langkah 4 ({agency().roles['kabid']}) 80 %")


def test_labels_are_titles_and_every_share_reads_the_same_way():
    report = capaian_kinerja(sample(), LIBRARY, FIRST, LAST)
    texts = [t for m in report.monitoring for t in (m.catatan, m.tindakan, m.capaian, *(
        x for s in m.langkah for x in (s.pelaksana, s.catatan, s.tindakan, s.capaian)))]
    role_ids = set(agency().roles)
    assert not [t for t in texts if set(t.replace("(", " ").replace(")", " ").replace(",", " ").split()) & role_ids]
    assert not [t for t in texts if " vs " in t or re.search(r"\d%", t)]
    assert all(re.fullmatch(r"\d+(,\d)? %|—", t) for m in report.monitoring for t in (
        m.capaian, *(s.capaian for s in m.langkah)))


def test_one_step_below_the_target_makes_an_sop_not_run_well_even_above_target_overall():
    visits = ([visit("sop-b", 2, 0.25, True, in_march(1 + i), f"b{i}") for i in range(10)]
              + [visit("sop-b", 4, 2, i == 0, in_march(1 + i), f"b{i}") for i in range(3)])
    report = capaian_kinerja(visits, LIBRARY, FIRST, LAST)
    sop_b = next(m for m in report.monitoring if m.sop_id == "sop-b")
    assert (next(t for t in report.totals if t.sop_id == "sop-b").on_time_pct, sop_b.capaian) == (84.6, "84,6 %")
    assert sop_b.dilaksanakan == "Tidak"
    assert f"Langkah 4 ({agency().roles['kabid']}) 33,3 %" in sop_b.catatan
    kabid = next(s for s in sop_b.langkah if s.step == 4)
    assert kabid.catatan == "1 dari 3 tepat waktu; median 2 jam, p90 2 jam (standar 1 jam)"
    assert sop_b.tindakan == f"Langkah 4: {WORDS.by_role['kabid']}"
    assert capaian_kinerja(visits, LIBRARY, FIRST, LAST, on_time_target=0.3).monitoring[1].dilaksanakan == "Ya"


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        capaian_kinerja([], LIBRARY, LAST, FIRST)


def test_csv_has_indonesian_headers_a_row_per_step_and_a_total_per_sop():
    lines = list(csv.reader(to_csv(capaian_kinerja(sample(), LIBRARY, FIRST, LAST)).splitlines()))
    assert tuple(lines[0]) == STEP_COLUMNS
    assert lines[0][:5] == ["SOP", "Prosedur", "Langkah", "Kegiatan", "Pelaksana"]
    title, text = "SOP C: Permintaan Informasi Pembangunan Daerah", LIBRARY.latest("sop-c").step(6).text
    assert ["sop-c", title, "6", text, agency().roles["staf_data"], "1 hari", "8.5", "5", "3", "60.0", "8.5", "22.1",
            "0", "0"] in lines
    assert ["sop-c", title, "Jumlah", "", "", "", "", "9", "6", "66.7", "", "", "0", "0"] in lines
    newest = [LIBRARY.latest(i) for i in LIBRARY.ids()]  # the report reads each SOP on its newest version
    assert len(lines) == 1 + sum(len([s for s in sop.steps if s.role != "pemohon"]) + 1 for sop in newest)


def test_csv_of_the_monitoring_form_a_row_per_step_and_a_conclusion_per_sop():
    lines = list(csv.reader(to_csv(capaian_kinerja(sample(), LIBRARY, FIRST, LAST), "monitoring").splitlines()))
    assert lines[0][:3] == ["No", "Prosedur", "Langkah"] and lines[0][10] == "Memenuhi standar (Ya/Tidak)"
    assert [line[10] for line in lines[1:] if line[2] == "Kesimpulan"] == ["Tidak", "Ya", "Tidak"]
    data = next(line for line in lines if line[:3] == ["3.5", "SOP C: Permintaan Informasi Pembangunan Daerah", "6"])
    assert data[4:11] == [agency().roles["staf_data"], "1 hari", "5", "3", "0", "60.0", "Tidak"]


def test_json_round_trip():
    report = capaian_kinerja(sample(), LIBRARY, FIRST, LAST)
    assert Report.model_validate_json(report.model_dump_json()) == report
