"""The capaian kinerja report as CSV: per step (`langkah`) or the monitoring form (`monitoring`).

UTF-8 (the route adds a byte-order mark, so spreadsheet programs read it as UTF-8), comma-separated,
numbers with a decimal POINT, not the Indonesian decimal comma: a spreadsheet computes with them.
"""
from __future__ import annotations

import csv
import io

from shared.http.sla_api import Report, ReportTable

STEP_COLUMNS = ("SOP", "Prosedur", "Langkah", "Kegiatan", "Pelaksana", "Standar", "Standar (jam kerja)", "Selesai",
                "Tepat waktu", "Tepat waktu (%)", "Median (jam kerja)", "P90 (jam kerja)", "Terbuka akhir periode",
                "Terlambat akhir periode")
MONITORING_COLUMNS = ("No", "Prosedur", "Langkah", "Kegiatan", "Pelaksana", "Mutu baku waktu", "Selesai",
                      "Tepat waktu", "Belum selesai lewat standar", "Capaian (%)", "Memenuhi standar (Ya/Tidak)",
                      "Catatan", "Tindakan yang harus diambil")


def blank(x: object) -> object:
    return "" if x is None else x


def to_csv(report: Report, table: ReportTable = "langkah") -> str:
    """One row per step and a "Jumlah" row per SOP; or per SOP its steps and a "Kesimpulan" row."""
    out = io.StringIO()
    write = csv.writer(out, lineterminator="\r\n").writerow
    if table == "monitoring":
        write(MONITORING_COLUMNS)
        for m in report.monitoring:
            for s in m.langkah:
                write((f"{m.no}.{s.no}", m.prosedur, s.step, s.kegiatan, s.pelaksana, s.mutu_baku_waktu, s.count,
                       s.on_time, s.overdue_at_end, blank(s.capaian_pct), blank(s.penilaian), s.catatan, s.tindakan))
            write((m.no, m.prosedur, "Kesimpulan", "", "", "", "", "", "", blank(m.capaian_pct), m.dilaksanakan,
                   m.catatan, m.tindakan))
        return out.getvalue()
    write(STEP_COLUMNS)
    for t in report.totals:
        for r in (r for r in report.rows if r.sop_id == t.sop_id):
            write((r.sop_id, t.title, r.step, r.kegiatan, r.pelaksana, r.standard, *map(blank, (
                r.standard_hours, r.count, r.on_time, r.on_time_pct, r.median_hours, r.p90_hours, r.open_at_end,
                r.overdue_at_end))))
        write((t.sop_id, t.title, "Jumlah", "", "", "", "", t.count, t.on_time, blank(t.on_time_pct), "", "",
               t.open_at_end, t.overdue_at_end))
    return out.getvalue()
