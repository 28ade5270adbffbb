"""Capaian kinerja: how the SOP steps kept their standard times over a period. Pure: no clock, no I/O.

Step visits *completed* in the period (by the completion's date in Asia/Pontianak, both ends inclusive),
per (SOP, step, role) in step order: count, on-time %, median and p90 working hours beside the standard;
at the period's end, visits still open and, of those, the ones past due. The applicant's own steps
(role `pemohon`: submitting, receiving the result) are the applicant's time, not the agency's work: they
are left out of every figure. The monitoring form built from these rows: services/sla/report_monitoring.py.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import groupby
from operator import attrgetter

from services.sla.report_format import percent
from services.sla.report_monitoring import monitor_sop
from services.sla.visits import Visit
from shared.agency import agency
from shared.http.sla_api import Kop, Report, Signatory, SopTotal, StepRow
from shared.sop.loader import SopLibrary
from shared.sop.schema import SopDefinition

ZONE = agency().tz
KEY = attrgetter("sop_id", "step", "role")
APPLICANT = "pemohon"


def quantile(values: list[float], q: float) -> float | None:  # linear, as numpy's default; to 0.01
    xs, pos = sorted(values), (len(values) - 1) * q
    low, high = int(pos), min(int(pos) + 1, len(values) - 1)
    return round(xs[low] + (xs[high] - xs[low]) * (pos - low), 2) if xs else None


def step_row(sop: SopDefinition, step: int, role: str, standard: str, done: list[Visit], still_open: list[Visit],
             end: datetime) -> StepRow:
    hours = [v.working_seconds / 3600 for v in done if v.working_seconds is not None]
    standards = [v.standard_seconds / 3600 for v in done + still_open]
    on_time = sum(1 for v in done if v.on_time)
    found = sop.step(step)  # an older version's step the latest lacks keeps its number as its name
    return StepRow(sop_id=sop.id, step=step, role=role, kegiatan=found.text if found else f"Langkah {step}",
                   pelaksana=agency().roles.get(role) or sop.roles.get(role, role), standard=standard,
                   standard_hours=quantile(standards, 0.5), count=len(done), on_time=on_time,
                   on_time_pct=percent(on_time, len(done)), median_hours=quantile(hours, 0.5),
                   p90_hours=quantile(hours, 0.9), open_at_end=len(still_open),
                   overdue_at_end=sum(1 for v in still_open if v.due_at < end))


def capaian_kinerja(visits: list[Visit], library: SopLibrary, period_from: date, period_to: date, *,
                    monitoring_date: date, kop: Kop, penilai: Signatory, on_time_target: float = 0.8,
                    step_floor: float = 0.5) -> Report:
    if period_to < period_from:
        raise ValueError(f"period ends ({period_to}) before it starts ({period_from})")
    end = datetime.combine(period_to + timedelta(days=1), time(), ZONE)
    visits = [v for v in visits if v.role != APPLICANT]
    done = [v for v in visits if v.completed_at and period_from <= v.completed_at.astimezone(ZONE).date() <= period_to]
    still_open = [v for v in visits if v.started_at < end and (v.completed_at is None or v.completed_at >= end)]
    done_by, open_by = ({k: list(g) for k, g in groupby(sorted(vs, key=KEY), KEY)} for vs in (done, still_open))
    report = Report(period_from=period_from, period_to=period_to, monitoring_date=monitoring_date,
                    on_time_target=on_time_target, step_floor=step_floor, kop=kop, penilai=penilai, rows=[],
                    totals=[], monitoring=[])
    for sop in (library.latest(sop_id) for sop_id in library.ids()):  # the store only holds visits of known SOPs
        keys = {k[1:]: v[0].standard for k, v in (done_by | open_by).items() if k[0] == sop.id} | {  # older versions
            (s.number, s.role): s.standard_time.label() for s in sop.steps if s.role != APPLICANT}
        rows = [step_row(sop, step, role, label, done_by.get((sop.id, step, role), []),
                         open_by.get((sop.id, step, role), []), end) for (step, role), label in sorted(keys.items())]
        count, on_time, opened, overdue = (sum(getattr(r, f) for r in rows)
                                           for f in ("count", "on_time", "open_at_end", "overdue_at_end"))
        total = SopTotal(sop_id=sop.id, title=f"SOP {sop.code}: {sop.title}", count=count, on_time=on_time,
                         cases=len({v.case_id for v in done if v.sop_id == sop.id}), open_at_end=opened,
                         on_time_pct=percent(on_time, count), overdue_at_end=overdue,
                         steps_below_floor=sum(1 for r in rows if r.count and r.on_time / r.count < step_floor))
        report.rows += rows
        report.totals.append(total)
        report.monitoring.append(monitor_sop(len(report.monitoring) + 1, total, rows, on_time_target))
    return report
