"""The figures of `make bench-scale`: each at both sizes, for the system and for CRUD, with the ratios, and
issue 9's two goals checked."""
from __future__ import annotations

import os
from typing import Any

from rich.console import Console
from rich.table import Table

RSS_GOAL_MIB = 200e6 / 2**20  # "200 MB" read strictly: 190.7 MiB
LATENCY_GOAL = 1.2  # submit latency at the large size ÷ at the small one
LATENCIES = (("submit", "submit → 201"), ("visible", "submit → in the register"),
             ("register_page", "GET /register first page"), ("old_case", "GET /cases/{old id}"))

Run = dict[str, Any]  # one target at one size: see bench_scale.measure; "metrics" only for the system
Row = tuple[str, float | None, float | None, float | None, float | None]  # figure, sys small/large, crud small/large


def ratio(top: float | None, bottom: float | None) -> float | None:
    return top / bottom if top is not None and bottom else None


def figures(run: Run | None) -> dict[str, float | None]:
    """One run's figures by name: RSS per process (after start, peak in the burst), latencies' p50 and p99."""
    if run is None:
        return {}
    found: dict[str, float | None] = {}
    for proc, mib in run["rss_after_start_mib"].items():
        found[f"RSS after start, {proc} (MiB)"] = mib
    for proc, mib in run["peak_rss_mib"].items():
        found[f"peak RSS in the burst, {proc} (MiB)"] = mib
    for proc, mib in run.get("working_off_peak_mib", {}).items():
        found[f"peak RSS taking the N in, {proc} (MiB)"] = mib
    for key, label in LATENCIES:
        for p in ("p50", "p99"):
            found[f"{label} {p} (ms)"] = run[key][f"{p}_ms"]
    for proc, stats in run.get("metrics", {}).items():
        found[f"GET /metrics, {proc}, p50 (ms)"] = stats["p50_ms"]
    return found


def rows(runs: dict[tuple[str, int], Run], small: int, large: int) -> list[Row]:
    """Every figure either target has, in the system's order first; a figure CRUD lacks (its processes are not
    the system's) stays empty on its side."""
    sys_s, sys_l = figures(runs.get(("system", small))), figures(runs.get(("system", large)))
    crud_s, crud_l = figures(runs.get(("crud", small))), figures(runs.get(("crud", large)))
    names = list(dict.fromkeys([*sys_s, *sys_l, *crud_s, *crud_l]))
    return [(n, sys_s.get(n), sys_l.get(n), crud_s.get(n), crud_l.get(n)) for n in names]


def goals(runs: dict[tuple[str, int], Run], large: int, small: int) -> list[tuple[str, bool | None, str]]:
    """(goal, met or None when not measured, the figure behind it)."""
    found: list[tuple[str, bool | None, str]] = []
    big = runs.get(("system", large))
    if big is not None:
        # Read per service process; a pool's workers (several processes summed) are shown in the table apart.
        measured = [*big["rss_after_start_mib"].items(), *big["peak_rss_mib"].items(),
                    *big.get("working_off_peak_mib", {}).items()]
        seen = [(name, mib) for name, mib in measured if not name.endswith(" workers")]
        peak = max(seen, key=lambda kv: kv[1])
        found.append((f"peak RSS per service ≤ 200 MB at {large:,} cases", peak[1] <= RSS_GOAL_MIB,
                      f"highest: {peak[0]} {peak[1]:.0f} MiB (goal {RSS_GOAL_MIB:.1f} MiB)"))
    lo = runs.get(("system", small))
    if big is not None and lo is not None:
        r = ratio(big["submit"]["p50_ms"], lo["submit"]["p50_ms"])
        p99 = fmt_ratio(ratio(big["submit"]["p99_ms"], lo["submit"]["p99_ms"]))
        found.append((f"submit latency at {large:,} ≤ {LATENCY_GOAL}× at {small:,}",
                      None if r is None else r <= LATENCY_GOAL, f"p50 ratio {fmt_ratio(r)}; p99 ratio {p99}"))
    return found


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def print_report(runs: dict[tuple[str, int], Run], small: int, large: int, note: str = "",
                 console: Console | None = None) -> None:
    console = console or Console(width=None if os.isatty(1) else 200)
    table = Table(title=f"bench_scale: {small:,} and {large:,} cases in the stores" + (f" ({note})" if note else ""))
    for column in ("figure", f"system {small:,}", f"system {large:,}", "system ratio", f"CRUD {small:,}",
                   f"CRUD {large:,}", "CRUD ratio", f"system ÷ CRUD at {large:,}"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    for name, s_small, s_large, c_small, c_large in rows(runs, small, large):
        table.add_row(name, fmt(s_small), fmt(s_large), fmt_ratio(ratio(s_large, s_small)), fmt(c_small),
                      fmt(c_large), fmt_ratio(ratio(c_large, c_small)), fmt_ratio(ratio(s_large, c_large)))
    console.print(table)
    for goal, met, why in goals(runs, large, small):
        verdict = "not measured" if met is None else "met" if met else "NOT met"
        console.print(f"goal: {goal}: {verdict} ({why})")
    for (target, cases), run in sorted(runs.items()):
        seeded = ", ".join(f"{k} {v:.0f} s" for k, v in run["seed_s"].items())
        console.print(f"{target} {cases:,}: seeded in {seeded}; {run['rounds']} rounds in {run['wall_s']:.1f} s, "
                      f"{len(run['errors'])} errors" + (f": {run['errors'][0]}" if run["errors"] else ""))
