"""The comparison's figures: one flat dict per run, and a table of medians with each target's ratio to CRUD
(and the system's to the floor of its shape)."""
from __future__ import annotations

import os
import statistics
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tests.benchmarks.meter import CLIENT
from tests.benchmarks.replay_rate import print_replay
from tests.benchmarks.system import percentiles


def figures_of(name: str, closed, opened, cpu_closed: dict[str, float], peak_rss: dict[str, float],
               shared: set[str], settled: bool) -> dict[str, Any]:
    own = [p for p in cpu_closed if p != CLIENT]

    def per_command(cpu: dict[str, float], procs: list[str], commands: int) -> float | None:
        return sum(cpu.get(p, 0.0) for p in procs) / commands * 1000 if commands else None

    found = {
        "target": name, "settled": settled, "closed_cases": closed.cases, "closed_commands": closed.commands_ok,
        "closed_wall_s": closed.wall_s, "closed_commands_per_s": closed.commands_per_s,
        "closed_step": percentiles(closed.step_latency), "read_own_write": percentiles(closed.read_own_write),
        "open_scheduled": opened.scheduled, "open_commands": opened.commands_ok, "open_unfinished": opened.unfinished,
        "open_achieved_per_s": opened.achieved_per_s, "open_latency": percentiles(opened.latency),
        "register_visible": percentiles(opened.register_visible), "audit_visible": percentiles(opened.audit_visible),
        "probe_timeouts": opened.probe_timeouts,
        "closed_deadline_hit": closed.deadline_hit, "cpu_closed_s": cpu_closed, "peak_rss_mib": peak_rss,
        "cpu_ms_per_step": per_command(cpu_closed, own, closed.commands_ok),
        "cpu_ms_per_step_unshared": per_command(cpu_closed, [p for p in own if p not in shared], closed.commands_ok),
        "client_cpu_ms_per_step": per_command(cpu_closed, [CLIENT], closed.commands_ok),
        # The failures themselves first: the skips behind them say less.
        "errors": sorted(closed.errors + opened.errors, key=lambda e: "skipped" in e)[:20],
        "error_count": len(closed.errors) + len(opened.errors),
    }
    found |= {f"cpu_ms_per_step[{p}]": per_command(cpu_closed, [p], closed.commands_ok) for p in own}
    return found


def rows(processes: list[str]) -> list[tuple[str, str, Any]]:
    """(figure, unit, how to read it from a run's figures)."""
    def pct(key: str, p: str):
        return lambda f: f[key][f"{p}_ms"]

    out = [("closed loop: step commands/s", "/s", lambda f: f["closed_commands_per_s"])]
    out += [(f"closed loop: step command {p}", "ms", pct("closed_step", p)) for p in ("p50", "p99")]
    out += [(f"closed loop: 2xx → read shows its version, {p}", "ms", pct("read_own_write", p)) for p in ("p50", "p99")]
    out += [("open loop: step commands/s answered", "/s", lambda f: f["open_achieved_per_s"]),
            ("open loop: unanswered at the deadline", "", lambda f: f["open_unfinished"])]
    out += [(f"open loop: command latency from due time, {p}", "ms", pct("open_latency", p)) for p in ("p50", "p99")]
    out += [(f"open loop: 2xx → {what} shows it, {p}", "ms", pct(f"{what}_visible", p))
            for what in ("register", "audit") for p in ("p50", "p99")]
    out += [("CPU per step command, every process", "ms", lambda f: f["cpu_ms_per_step"]),
            ("CPU per step command, without redis-server", "ms", lambda f: f["cpu_ms_per_step_unshared"])]
    out += [(f"  CPU per step command in {p}", "ms", lambda f, p=p: f.get(f"cpu_ms_per_step[{p}]")) for p in processes]
    out += [("  CPU per step command in the bench client", "ms", lambda f: f["client_cpu_ms_per_step"]),
            ("peak RSS, all processes", "MiB", lambda f: sum(f["peak_rss_mib"].values()))]
    out += [(f"  peak RSS {p}", "MiB", lambda f, p=p: f["peak_rss_mib"].get(p)) for p in processes]
    return out


def median(runs: list[dict], read) -> float | None:
    values = [v for v in (read(r) for r in runs) if v is not None]
    return statistics.median(values) if values else None


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if not unit and float(value).is_integer():  # a count
        return f"{int(value):,}"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}" if abs(value) >= 1 else f"{value:.3f}"
    return f"{text} {unit}".strip()


LABELS = {"crud": "CRUD", "floor": "floor", "system": "system"}


def ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "—"
    return f"{value / base:,.0f}×" if value / base >= 100 else f"{value / base:.3g}×"


def print_comparison(config: dict, runs: dict[str, list[dict]]) -> None:
    console = Console(width=None if os.isatty(1) else 220)
    crud, real, floor = runs.get("crud", []), runs.get("system", []), runs.get("floor", [])
    others = [n for n in ("floor", "system") if runs.get(n)]
    processes = list(dict.fromkeys(p for rs in runs.values() for r in rs for p in r["peak_rss_mib"]))
    table = Table(title=f"make bench: the system beside a plain CRUD baseline — SOP C; closed loop "
                        f"{config['cases'] // config['pairs']} cases a run ({config['cases']} over {config['pairs']} "
                        f"pairs), {config['concurrency']} clients; open loop {config['rate']:g}/s for "
                        f"{config['seconds']:g} s; medians of {config['pairs_run']} alternating pairs")
    columns = ["figure", "CRUD"] + [c for n in others for c in (LABELS[n], f"{LABELS[n]} ÷ CRUD")]
    columns += ["system ÷ floor"] if floor and real else []
    columns += [f"{LABELS[n]} runs" for n in ["crud"] + others]
    for column in columns:
        table.add_column(column, justify="left" if column == "figure" else "right")
    for figure, unit, read in rows(processes):
        base = median(crud, read)
        cells = [figure, fmt(base, unit)]
        for name in others:
            value = median(runs[name], read)
            cells += [fmt(value, unit), ratio(value, base)]
        if floor and real:
            cells.append(ratio(median(real, read), median(floor, read)))
        cells += [" / ".join(fmt(read(r)) for r in runs.get(n, [])) for n in ["crud"] + others]
        table.add_row(*cells)
    console.print(table)
    if floor:
        console.print("floor: the least a system of the design card's shape spends per step (four processes, commands "
                      "and events over Redis Streams, the step an event, three projections in order and in batches; no "
                      "event-sourcing library, relay, chain, sealing, documents or SLA): tests/benchmarks/floor/.")
    print_replay(console, real)
    before, after = config["load_before_after"]
    console.print(f"{config['cores']} cores, load average {before[0]:.2f} before and {after[0]:.2f} after; "
                  f"{config['wall_s']:.0f} s in all. Other work shares this machine, so every figure is noisy: "
                  "compare the columns of one run, and read the spread in the runs columns.")
    console.print("CPU: user+system seconds of each process from before a loop until the target settled after it, "
                  "÷ its step commands (submissions, uploads and reads included). The system's redis-server is the "
                  "machine's, shared with other tests: its share is an upper bound. The CRUD baseline is one process. "
                  "A visibility figure includes one GET round trip (the real system's GET waits for ?min_version=).")
    for name, runs_of in ((LABELS[n], rs) for n, rs in runs.items()):
        late = [r["open_unfinished"] for r in runs_of]
        if any(late):
            console.print(f"{name}: {' / '.join(map(str, late))} of {runs_of[0]['open_scheduled']} open-loop commands "
                          "were unanswered at the deadline (20 s after the last was due); they count at the deadline, "
                          "so its open-loop latencies are lower bounds: it does not sustain the rate.")
        if any(r["closed_deadline_hit"] for r in runs_of):
            console.print(f"{name}: a closed loop hit its deadline and left cases unstarted (see closed_cases).")
    console.print("seconds per run: " + "; ".join(f"{LABELS[n]} " + " / ".join(f"{r['run_s']:.0f}" for r in rs)
                                                  for n, rs in runs.items()))
    for name, runs_of in ((LABELS[n], rs) for n, rs in runs.items()):
        if runs_of:
            console.print(f"  {name}'s last run, s: " + ", ".join(f"{k} {v}" for k, v in runs_of[-1]["phases_s"].items()))
    log = Path(config["services_log"])
    if log.exists() and (text := log.read_text(errors="replace")):
        console.print(f"the targets wrote {text.count(chr(10))} lines to stderr ({text.count('Traceback')} tracebacks, "
                      f"e.g. a Redis read timed out under load and was retried): {log}")
    for run in (r for rs in runs.values() for r in rs):
        if run["error_count"] or not run["settled"]:
            console.print(f"[red]{run['target']}[/]: {run['error_count']} errors, settled={run['settled']}; "
                          f"first: {run['errors'][:3]}")
