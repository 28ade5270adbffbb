"""The Formulir Monitoring Pelaksanaan SOP (Permenpan RB 35/2012) from the capaian kinerja rows. Pure.

One row per step the agency carries out: kegiatan, pelaksana, mutu baku (the standard time), how many
were completed and how many on time, and the capaian: on time / (completed + still open past the
standard at the period's end), so a step left lying is a miss, not a step that vanished. A step meets
the standard (penilaian Ya) when its capaian reaches the target; a step with nothing to judge has no
penilaian. An SOP is carried out well (dilaksanakan Ya) only when every step judged says Ya. The advice
(tindakan) is the agency's words: shared/sop/agency.yaml `monitoring`.
"""
from __future__ import annotations

from services.sla.report_format import NONE, duration, pct, percent, share
from shared.agency import agency
from shared.http.sla_api import MonitoringRow, MonitoringStep, SopTotal, StepRow


def step_note(row: StepRow, judged: int) -> str:
    if not judged:
        running = f"; {row.open_at_end} masih berjalan dalam standar waktu" if row.open_at_end else ""
        return f"Tidak ada yang selesai pada periode ini{running}"
    parts = [f"{row.on_time} dari {judged} tepat waktu"]
    if row.overdue_at_end:
        parts.append(f"{row.overdue_at_end} belum selesai melewati standar (dihitung tidak tepat waktu)")
    if row.median_hours is not None and row.p90_hours is not None:
        parts.append(f"median {duration(row.standard, row.standard_hours, row.median_hours)}, "
                     f"p90 {duration(row.standard, row.standard_hours, row.p90_hours)} (standar {row.standard})")
    return "; ".join(parts)


def monitor_step(no: int, row: StepRow, target: float) -> MonitoringStep:
    judged = row.count + row.overdue_at_end
    capaian = percent(row.on_time, judged)
    penilaian = None if capaian is None else "Ya" if row.on_time / judged + 1e-9 >= target else "Tidak"  # 7/10 meets 0.7
    words = agency().monitoring
    tindakan = {None: NONE, "Ya": words.keep}.get(penilaian) or words.by_role.get(row.role, words.improve)
    return MonitoringStep(no=no, step=row.step, kegiatan=row.kegiatan, role=row.role, pelaksana=row.pelaksana,
                          mutu_baku_waktu=row.standard, count=row.count, on_time=row.on_time,
                          overdue_at_end=row.overdue_at_end, capaian_pct=capaian, capaian=pct(capaian),
                          penilaian=penilaian, catatan=step_note(row, judged), tindakan=tindakan)


def named(steps: list[MonitoringStep]) -> str:
    return ", ".join(f"Langkah {s.step} ({s.pelaksana}) {s.capaian}" for s in steps)


def lowest(judged: list[MonitoringStep]) -> list[MonitoringStep]:
    """The steps at the lowest capaian; none when every step judged stands at the same one."""
    floor = min(s.capaian_pct for s in judged)
    tied = [s for s in judged if s.capaian_pct == floor]
    return [] if len(tied) == len(judged) else tied


def monitor_sop(no: int, total: SopTotal, rows: list[StepRow], target: float) -> MonitoringRow:
    steps = [monitor_step(i, row, target) for i, row in enumerate(rows, 1)]
    judged = [s for s in steps if s.penilaian]
    words = agency().monitoring
    capaian = percent(sum(s.on_time for s in judged), sum(s.count + s.overdue_at_end for s in judged))
    if not judged:
        return MonitoringRow(no=no, sop_id=total.sop_id, prosedur=total.title, dilaksanakan="Tidak",
                             capaian_pct=None, capaian=NONE, langkah=steps, tindakan=words.not_run,
                             catatan="Tidak ada langkah yang dilaksanakan pada periode ini")
    missed = sorted((s for s in judged if s.penilaian == "Tidak"), key=lambda s: (s.capaian_pct, -s.overdue_at_end))
    note = f"Capaian {pct(capaian)} (target {share(target)})"
    if missed:
        note += f"; {len(missed)} dari {len(judged)} langkah belum memenuhi standar waktu: {named(missed)}"
        action = f"Langkah {missed[0].step}: {missed[0].tindakan}"
        action += "; langkah lain: lihat tindakan per langkah" if len(missed) > 1 else ""
    else:
        note += f"; {len(judged)} langkah dinilai, semua memenuhi standar waktu"
        note += f"; terendah {named(low)}" if (low := lowest(judged)) else ""
        action = words.keep
    if total.overdue_at_end:
        note += f"; {total.overdue_at_end} langkah belum selesai melewati standar (dihitung tidak tepat waktu)"
    return MonitoringRow(no=no, sop_id=total.sop_id, prosedur=total.title, dilaksanakan="Tidak" if missed else "Ya",
                         capaian_pct=capaian, capaian=pct(capaian), catatan=note, tindakan=action, langkah=steps)
