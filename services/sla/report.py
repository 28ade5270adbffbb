"""Capaian kinerja: how the SOP steps kept their standard times over a period. Pure: no clock, no I/O.

Step visits *completed* in the period (by the completion's date in Asia/Pontianak, both ends inclusive),
per (SOP, step, role) in step order: count, on-time %, median and p90 working hours beside the standard;
at the period's end, visits still open and, of those, the ones past due. Monitoring (Permenpan RB 35/2012):
an SOP runs well (Ya) when its on-time % reaches the target and no step with completions is below
`step_floor`; with no completion, Tidak. Catatan names the weakest step (lowest on-time %, then larger
p90/standard, then step order); tindakan is ACTIONS[its role], or KEEP when Ya.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import groupby
from operator import attrgetter

from shared.agency import agency
from services.sla.visits import Visit
from shared.http.sla_api import MonitoringRow, Report, SopTotal, StepRow
from shared.sop.loader import SopLibrary

ZONE = agency().tz
KEY = attrgetter("sop_id", "step", "role")
ACTIONS = {
    "pemohon": "Ingatkan pemohon (telepon/pesan) untuk melengkapi atau mengambil hasil; tinjau standar waktunya",
    "petugas_tu": "Evaluasi beban kerja dan pembagian tugas petugas TU/UKP",
    "kabid": "Jadwalkan disposisi/paraf Kabid setiap hari; tetapkan pejabat pengganti saat berhalangan",
    "sub_koordinator": "Evaluasi beban kerja Sub Koordinator; bagi tugas verifikasi dan penyusunan jawaban",
    "admin_aplikasi": "Tambah pendamping atau pelatihan Admin Aplikasi; siapkan panduan penggunaan aplikasi",
    "staf_data": "Evaluasi beban kerja staf pengolah data; siapkan data yang sering diminta",
    "sekretaris": "Jadwalkan paraf Sekretaris Badan setiap hari; tetapkan pengganti saat dinas luar",
    "kepala_badan": "Jadwalkan penandatanganan harian Kepala Badan; pertimbangkan tanda tangan elektronik",
}
KEEP, NO_DATA = ("Pertahankan; pantau kembali pada evaluasi semester berikutnya",
                 "Pastikan setiap permohonan dicatat melalui sistem; sosialisasikan SOP kepada pelaksana")


def quantile(values: list[float], q: float) -> float | None:  # linear, as numpy's default; to 0.01
    xs, pos = sorted(values), (len(values) - 1) * q
    low, high = int(pos), min(int(pos) + 1, len(values) - 1)
    return round(xs[low] + (xs[high] - xs[low]) * (pos - low), 2) if xs else None


def step_row(key: tuple, standard: str, done: list[Visit], still_open: list[Visit], end: datetime) -> StepRow:
    hours = [v.working_seconds / 3600 for v in done if v.working_seconds is not None]
    standards = [v.standard_seconds / 3600 for v in done + still_open]
    on_time = sum(1 for v in done if v.on_time)
    return StepRow(sop_id=key[0], step=key[1], role=key[2], standard=standard, standard_hours=quantile(standards, 0.5),
                   count=len(done), on_time=on_time, on_time_pct=round(100 * on_time / len(done), 1) if done else None,
                   median_hours=quantile(hours, 0.5), p90_hours=quantile(hours, 0.9),
                   open_at_end=len(still_open), overdue_at_end=sum(1 for v in still_open if v.due_at < end))


def capaian_kinerja(visits: list[Visit], library: SopLibrary, period_from: date, period_to: date,
                    on_time_target: float = 0.8, step_floor: float = 0.5) -> Report:
    if period_to < period_from:
        raise ValueError(f"period ends ({period_to}) before it starts ({period_from})")
    end = datetime.combine(period_to + timedelta(days=1), time(), ZONE)
    done = [v for v in visits if v.completed_at and period_from <= v.completed_at.astimezone(ZONE).date() <= period_to]
    still_open = [v for v in visits if v.started_at < end and (v.completed_at is None or v.completed_at >= end)]
    done_by, open_by = ({k: list(g) for k, g in groupby(sorted(vs, key=KEY), KEY)} for vs in (done, still_open))
    report = Report(period_from=period_from, period_to=period_to, on_time_target=on_time_target,
                    step_floor=step_floor, rows=[], totals=[], monitoring=[])
    for sop in (library.latest(sop_id) for sop_id in library.ids()):  # the store only holds visits of known SOPs
        keys = {k[1:]: v[0].standard for k, v in (done_by | open_by).items() if k[0] == sop.id} | {  # older versions
            (s.number, s.role): s.standard_time.label() for s in sop.steps}
        rows = [step_row((sop.id, *k), label, done_by.get((sop.id, *k), []), open_by.get((sop.id, *k), []), end)
                for k, label in sorted(keys.items())]
        count, on_time, opened, overdue = (sum(getattr(r, f) for r in rows)
                                           for f in ("count", "on_time", "open_at_end", "overdue_at_end"))
        total = SopTotal(sop_id=sop.id, title=f"SOP {sop.code}: {sop.title}", count=count, on_time=on_time,
                         cases=len({v.case_id for v in done if v.sop_id == sop.id}), open_at_end=opened,
                         on_time_pct=round(100 * on_time / count, 1) if count else None, overdue_at_end=overdue,
                         steps_below_floor=sum(1 for r in rows if r.count and r.on_time / r.count < step_floor))
        report.rows += rows
        report.totals.append(total)
        report.monitoring.append(monitor(len(report.monitoring) + 1, total, rows, on_time_target))
    return report


def num(x: float) -> str:  # Indonesian decimal comma, no trailing zero: 1.80 -> "1,8", 0.25 -> "0,25", 80.0 -> "80"
    return f"{x:.{2 if abs(x) < 1 else 1}f}".rstrip("0").rstrip(".").replace(".", ",")


def duration(row: StepRow, hours: float) -> str:  # in the standard's unit: days when it is whole days ("1 hari")
    days = row.standard.removesuffix(" hari").replace(",", ".")
    in_days = days.replace(".", "", 1).isdigit() and row.standard_hours
    return f"{num(hours / row.standard_hours * float(days))} hari" if in_days else f"{num(hours)} jam"


def monitor(no: int, total: SopTotal, rows: list[StepRow], target: float) -> MonitoringRow:
    measured = [r for r in rows if r.count]
    well = bool(measured) and total.on_time / total.count >= target and total.steps_below_floor == 0
    note, action = "Tidak ada langkah selesai pada periode ini", NO_DATA
    if measured:
        weakest = min(measured, key=lambda r: (r.on_time / r.count, -(r.p90_hours or 0) / (r.standard_hours or 1)))
        head = f"{num(total.on_time_pct)} % langkah tepat waktu (target {num(100 * target)} %)"
        where = f"Langkah {weakest.step} ({weakest.role}): {num(weakest.on_time_pct)} % tepat waktu"
        if weakest.p90_hours is not None:
            where += f", p90 {duration(weakest, weakest.p90_hours)} vs standar {weakest.standard}"
        note = f"{head}; terendah {where}" if well else f"{head}. Terlemah: {where}"
        action = KEEP if well else ACTIONS.get(weakest.role, "Evaluasi pelaksanaan langkah dan standar waktunya")
    if total.overdue_at_end:
        note += f"; {total.overdue_at_end} langkah masih terbuka melewati standar"
    return MonitoringRow(no=no, sop_id=total.sop_id, prosedur=total.title, dilaksanakan="Ya" if well else "Tidak",
                         catatan=note, tindakan=action)
