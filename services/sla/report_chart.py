"""The capaian kinerja chart: one page for the semester SOP evaluation, PNG (or PDF, the form's last page).

A title, one horizontal bar chart per SOP (the capaian of each step the agency carries out, the target as a
dashed line), and below them each SOP's verdict (No, Prosedur, Dilaksanakan, Catatan, Tindakan); the
per-step form itself is services/sla/report_form.py.
Deterministic: the Agg canvas, DejaVu Sans (shipped with matplotlib), no timestamp in the metadata, so
the same report always gives the same bytes. No pyplot: nothing global, safe in a server thread.
"""
from __future__ import annotations

import io
import textwrap
from typing import Literal

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from services.sla.report_format import period_label, share
from shared.http.sla_api import MonitoringStep, Report

A4_LANDSCAPE = (11.69, 8.27)  # inches
GOOD, WEAK, POOR, NONE, TARGET = "#2e7d32", "#f9a825", "#c62828", "#bdbdbd", "#1a237e"
COLUMNS = ("No", "Prosedur", "Dilaksanakan\n(Ya/Tidak)", "Catatan", "Tindakan")
WIDTHS = (0.04, 0.19, 0.09, 0.40, 0.28)  # of the table's width; the wrap widths fit them at TABLE_PT
WRAP = (4, 30, 12, 68, 48)
TABLE_PT, TABLE_BOX = 7, (0.03, 0.02, 0.94, 0.31)  # the table's axes: left, bottom, width, height
STYLE = {"font.family": "DejaVu Sans", "font.size": 8, "pdf.fonttype": 42}


def colour(step: MonitoringStep, report: Report) -> str:
    if step.capaian_pct is None:
        return NONE
    share = step.capaian_pct / 100
    return GOOD if share >= report.on_time_target else WEAK if share >= report.step_floor else POOR


def draw_bars(fig: Figure, report: Report) -> None:
    sops = report.monitoring
    grid = fig.add_gridspec(1, len(sops), left=0.15, right=0.97, top=0.71, bottom=0.41, wspace=0.8)
    for i, sop in enumerate(sops):
        steps = sop.langkah
        ax = fig.add_subplot(grid[0, i])
        ys = range(len(steps))
        ax.barh(ys, [s.capaian_pct or 0 for s in steps], color=[colour(s, report) for s in steps], height=0.7)
        for y, s in zip(ys, steps):
            label = "tidak ada data" if s.capaian_pct is None else f"{s.capaian} (n={s.count + s.overdue_at_end})"
            inside = (s.capaian_pct or 0) > 55
            ax.text((s.capaian_pct - 2) if inside else (s.capaian_pct or 0) + 2, y, label, va="center",
                    ha="right" if inside else "left", fontsize=6.5, color="white" if inside else "#333333",
                    bbox=None if inside else {"facecolor": "white", "edgecolor": "none", "pad": 0.5})
        ax.axvline(100 * report.on_time_target, color=TARGET, linestyle="--", linewidth=1)
        ax.set_yticks(list(ys), [f"{s.step} · {textwrap.shorten(s.pelaksana, 24, placeholder=' …')}" for s in steps],
                      fontsize=6.5)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("capaian (%)", fontsize=7)
        ax.tick_params(axis="x", labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_title(textwrap.fill(sop.prosedur, 34) + f"\ncapaian {sop.capaian}, dilaksanakan: {sop.dilaksanakan}",
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
    floor, target = share(report.step_floor), share(report.on_time_target)
    return [Patch(color=GOOD, label="≥ target"), Patch(color=WEAK, label=f"≥ {floor}"),
            Patch(color=POOR, label=f"< {floor}"), Patch(color=NONE, label="tidak ada data"),
            Line2D([], [], color=TARGET, linestyle="--", label=f"target {target}")]


def render(report: Report, fmt: Literal["png", "pdf"] = "png", dpi: int = 150) -> bytes:
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=A4_LANDSCAPE, dpi=dpi)
        FigureCanvasAgg(fig)
        period = period_label(report.period_from, report.period_to)
        fig.suptitle(f"Capaian Kinerja SOP — {report.kop.short_name}\n{period}",
                     x=0.03, y=0.975, ha="left", fontsize=12, weight="bold", linespacing=1.4)
        fig.text(0.03, 0.855, "Capaian = langkah selesai tepat waktu (dalam standar waktu kerja, mutu baku) dibagi "
                 "langkah selesai dalam periode (tanggal WIB) ditambah langkah yang pada akhir periode\nbelum selesai "
                 "dan melewati standar; n = pembaginya. Langkah pemohon tidak dinilai. Dilaksanakan (Permenpan RB "
                 f"35/2012) = Ya bila setiap langkah yang dinilai\nmencapai target {share(report.on_time_target)}.",
                 fontsize=7.5, color="#424242", linespacing=1.5)
        draw_bars(fig, report)
        draw_table(fig, report)
        fig.legend(handles=legend(report), loc="upper left", ncols=5, fontsize=7.5, frameon=False,
                   bbox_to_anchor=(0.025, 0.82))
        out = io.BytesIO()
        fig.savefig(out, format=fmt, metadata={"CreationDate": None} if fmt == "pdf" else {"Software": None})
        return out.getvalue()
