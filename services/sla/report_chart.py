"""The capaian kinerja report as one page for the semester SOP evaluation: PNG or A4-landscape PDF.

A title, one horizontal bar chart per SOP (on-time % of each step, the target as a dashed line), and
below them the Permenpan RB 35/2012 monitoring table (No, Prosedur, Dilaksanakan, Catatan, Tindakan).
Deterministic: the Agg canvas, DejaVu Sans (shipped with matplotlib), no timestamp in the metadata, so
the same report always gives the same bytes. No pyplot: nothing global, safe in a server thread.
"""
from __future__ import annotations

import io
import textwrap
from datetime import date
from typing import Literal

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from services.sla.report import num
from shared.http.sla_api import Report, StepRow

AGENCY = "BAPPEDA Kabupaten Ketapang"
A4_LANDSCAPE = (11.69, 8.27)  # inches
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
GOOD, WEAK, POOR, NONE, TARGET = "#2e7d32", "#f9a825", "#c62828", "#bdbdbd", "#1a237e"
COLUMNS = ("No", "Prosedur", "Dilaksanakan\n(Ya/Tidak)", "Catatan", "Tindakan")
WIDTHS = (0.04, 0.19, 0.09, 0.40, 0.28)  # of the table's width; the wrap widths fit them at TABLE_PT
WRAP = (4, 30, 12, 68, 48)
TABLE_PT, TABLE_BOX = 7.5, (0.03, 0.03, 0.94, 0.31)  # the table's axes: left, bottom, width, height
STYLE = {"font.family": "DejaVu Sans", "font.size": 8, "pdf.fonttype": 42}


def tanggal(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def period_label(report: Report) -> str:
    start, end = report.period_from, report.period_to
    span = f"{tanggal(start)} – {tanggal(end)}"
    if start.year == end.year and (start.month, start.day, end.month, end.day) in ((1, 1, 6, 30), (7, 1, 12, 31)):
        return f"Semester {'I' if start.month == 1 else 'II'} {start.year} ({span})"
    return span


def colour(row: StepRow, report: Report) -> str:
    if row.on_time_pct is None:
        return NONE
    share = row.on_time_pct / 100
    return GOOD if share >= report.on_time_target else WEAK if share >= report.step_floor else POOR


def draw_bars(fig: Figure, report: Report) -> None:
    sops = report.totals
    grid = fig.add_gridspec(1, len(sops), left=0.1, right=0.97, top=0.77, bottom=0.4, wspace=0.45)
    for i, total in enumerate(sops):
        rows = [r for r in report.rows if r.sop_id == total.sop_id]
        ax = fig.add_subplot(grid[0, i])
        ys = range(len(rows))
        ax.barh(ys, [r.on_time_pct or 0 for r in rows], color=[colour(r, report) for r in rows], height=0.7)
        for y, r in zip(ys, rows):
            label = "tidak ada data" if r.on_time_pct is None else f"{num(r.on_time_pct)}% (n={r.count})"
            inside = (r.on_time_pct or 0) > 62
            ax.text((r.on_time_pct - 2) if inside else (r.on_time_pct or 0) + 2, y, label, va="center",
                    ha="right" if inside else "left", fontsize=7, color="white" if inside else "#333333",
                    bbox=None if inside else {"facecolor": "white", "edgecolor": "none", "pad": 0.5})
        ax.axvline(100 * report.on_time_target, color=TARGET, linestyle="--", linewidth=1)
        ax.set_yticks(list(ys), [f"{r.step} · {r.role}" for r in rows], fontsize=7)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("tepat waktu (%)", fontsize=7)
        ax.tick_params(axis="x", labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
        totals = "—" if total.on_time_pct is None else f"{num(total.on_time_pct)}%"
        ax.set_title(textwrap.fill(total.title, 34) + f"\n{total.count} langkah selesai, {totals} tepat waktu",
                     fontsize=8, loc="left")


def draw_table(fig: Figure, report: Report) -> None:
    ax = fig.add_axes(TABLE_BOX)
    ax.axis("off")
    cells = [[textwrap.fill(str(v), w) for v, w in zip((m.no, m.prosedur, m.dilaksanakan, m.catatan, m.tindakan),
                                                        WRAP)] for m in report.monitoring]
    table = ax.table(cellText=cells, colLabels=COLUMNS, colWidths=WIDTHS, loc="upper center", cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(TABLE_PT)
    line = TABLE_PT * 1.25 / 72 / (TABLE_BOX[3] * A4_LANDSCAPE[1])  # one text line, in axes height
    for (r, c), cell in table.get_celld().items():
        lines = 2 if r == 0 else max(v.count("\n") + 1 for v in cells[r - 1])
        cell.set_height(line * (lines + 0.8))
        cell.set_edgecolor("#757575")
        cell.PAD = 0.02
        if r == 0:
            cell.set_facecolor("#e8eaf6")
            cell.set_text_props(weight="bold", ha="center")
        elif c in (0, 2):
            cell.set_text_props(ha="center")
            if c == 2:
                cell.set_text_props(weight="bold", color=GOOD if cells[r - 1][2] == "Ya" else POOR)


def legend(report: Report) -> list:
    floor, target = f"{report.step_floor:.0%}", f"{report.on_time_target:.0%}"
    return [Patch(color=GOOD, label="≥ target"), Patch(color=WEAK, label=f"≥ {floor}"),
            Patch(color=POOR, label=f"< {floor}"), Patch(color=NONE, label="tidak ada data"),
            Line2D([], [], color=TARGET, linestyle="--", label=f"target {target}")]


def render(report: Report, fmt: Literal["png", "pdf"] = "png", dpi: int = 150) -> bytes:
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=A4_LANDSCAPE, dpi=dpi)
        FigureCanvasAgg(fig)
        fig.suptitle(f"Capaian Kinerja SOP — {AGENCY}, {period_label(report)}", x=0.03, y=0.97, ha="left",
                     fontsize=13, weight="bold")
        fig.text(0.03, 0.905, "Langkah yang selesai dalam periode (tanggal WIB); tepat waktu = selesai dalam standar "
                 "waktu kerja (mutu baku); n = jumlah langkah selesai.\nDilaksanakan (Permenpan RB 35/2012) = Ya bila "
                 f"{report.on_time_target:.0%} langkah tepat waktu tercapai dan tidak ada langkah di bawah "
                 f"{report.step_floor:.0%}. Median dan p90 per langkah: format CSV/JSON.", fontsize=8,
                 color="#424242", linespacing=1.5)
        draw_bars(fig, report)
        draw_table(fig, report)
        fig.legend(handles=legend(report), loc="upper left", ncols=5, fontsize=7.5, frameon=False,
                   bbox_to_anchor=(0.025, 0.875))
        out = io.BytesIO()
        fig.savefig(out, format=fmt, metadata={"CreationDate": None} if fmt == "pdf" else {"Software": None})
        return out.getvalue()
