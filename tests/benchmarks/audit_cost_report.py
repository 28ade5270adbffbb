"""The audit guarantees' cost as a table: medians with both on and both off, the ratio and the cost in %,
each run's own figure beside them, and whether the goal of issue 11 is met."""
from __future__ import annotations

import os
import statistics
from typing import Any

from rich.console import Console
from rich.table import Table

from tests.benchmarks.compare_report import fmt

GOAL = 0.10  # issue 11: step commands/s with chaining and encryption on at most 10 % below both off


def rows(processes: list[str]) -> list[tuple[str, str, bool, Any]]:
    """(figure, unit, whether more is better, how to read it from a run)."""
    out = [("step commands/s (closed loop)", "/s", True, lambda r: r["commands_per_s"]),
           ("step command latency p50", "ms", False, lambda r: r["step"]["p50_ms"]),
           ("step command latency p99", "ms", False, lambda r: r["step"]["p99_ms"]),
           ("CPU per step command, every process", "ms", False, lambda r: r["cpu_ms_per_step"]),
           ("CPU per step command, without redis-server", "ms", False, lambda r: r["cpu_ms_per_step_unshared"])]
    out += [(f"  CPU per step command in {p}", "ms", False, lambda r, p=p: r.get(f"cpu_ms_per_step[{p}]"))
            for p in processes]
    out += [("step commands answered 200", "", True, lambda r: r["commands"]),
            ("events stored (all services)", "", True, lambda r: r["written"]["events"]),
            ("chain links written", "", True, lambda r: r["written"]["chain_links"]),
            ("subject keys made", "", True, lambda r: r["written"]["subject_keys"]),
            ("submissions stored", "", True, lambda r: r["written"]["submissions"]),
            ("  of which with sealed personal data", "", True, lambda r: r["written"]["submissions_sealed"])]
    return out


def median(runs: list[dict], read) -> float | None:
    values = [v for v in (read(r) for r in runs) if v is not None]
    return statistics.median(values) if values else None


def cost(on: float | None, off: float | None, higher_is_better: bool) -> float | None:
    """What the guarantees take, as a share of the figure without them (positive: worse with them)."""
    if on is None or not off:
        return None
    return (off - on) / off if higher_is_better else (on - off) / off


def print_report(config: dict, runs: dict[str, list[dict]]) -> dict[str, Any]:
    console = Console(width=None if os.isatty(1) else 200)
    on, off = runs["on"], runs["off"]
    processes = [p for p in dict.fromkeys(k[len("cpu_ms_per_step["):-1] for r in on + off for k in r
                                          if k.startswith("cpu_ms_per_step["))]
    table = Table(title=f"make bench-audit-cost: hash chain + per-subject encryption on vs off — SOP C closed loop, "
                        f"{config['cases']} cases a run, {config['concurrency']} clients; medians of "
                        f"{config['pairs_run']} interleaved pairs")
    for column in ("figure", "both on", "both off", "on ÷ off", "cost", "on runs", "off runs"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    for figure, unit, higher, read in rows(processes):
        a, b = median(on, read), median(off, read)
        share = cost(a, b, higher) if unit else None
        ratio = f"{a / b:.3f}×" if unit and a is not None and b else "—"
        table.add_row(figure, fmt(a, unit), fmt(b, unit), ratio, "—" if share is None else f"{share:+.1%}",
                      " / ".join(fmt(read(r)) for r in on), " / ".join(fmt(read(r)) for r in off))
    console.print(table)
    throughput = cost(median(on, rows([])[0][3]), median(off, rows([])[0][3]), True)
    cpu = cost(median(on, rows([])[3][3]), median(off, rows([])[3][3]), False)
    spread = {mode: [r["commands_per_s"] for r in rs] for mode, rs in runs.items()}
    met = throughput is not None and throughput < GOAL
    before, after = config["load_before_after"]
    console.print(f"{config['cores']} cores, load average {before[0]:.2f} before and {after[0]:.2f} after; "
                  f"{config['wall_s']:.0f} s in all. CPU: user+system seconds of each target process (the machine's "
                  "redis-server included, shared with other work: an upper bound) from before the loop until the "
                  "target settled, ÷ the step commands (submissions, uploads and reads of the loop included).")
    console.print(f"goal (issue 11): step commands/s with both on at most {GOAL:.0%} below both off — "
                  + (f"[bold green]met[/]: cost {throughput:+.1%}" if met else
                     f"[bold red]not met[/]: cost {throughput:+.1%}" if throughput is not None else "[red]no figure[/]")
                  + (f"; CPU per step command {cpu:+.1%}" if cpu is not None else "")
                  + ". Step commands/s of the runs: " + "; ".join(
                      f"{mode} {min(v):,.1f}–{max(v):,.1f}" for mode, v in spread.items())
                  + " (a cost smaller than the spread within one mode is not told apart from noise).")
    paired = {name: [cost(read(a), read(b), higher) for a, b in zip(on, off)]
              for name, higher, read in (("step commands/s", True, rows([])[0][3]),
                                         ("CPU per step command", False, rows([])[3][3]))}
    console.print("cost within each pair (its on and off runs ran back to back): " + "; ".join(
        f"{name} " + " / ".join(f"{c:+.1%}" for c in costs if c is not None)
        + f" (median {statistics.median([c for c in costs if c is not None]):+.1%})"
        for name, costs in paired.items() if any(c is not None for c in costs)))
    for run in on + off:
        if run["error_count"] or not run["settled"] or run["deadline_hit"]:
            console.print(f"[red]{run['mode']}[/]: {run['error_count']} errors, settled={run['settled']}, "
                          f"deadline hit={run['deadline_hit']}; first: {run['errors'][:3]}")
    return {"throughput_cost": throughput, "cpu_per_step_cost": cpu, "paired_costs": paired, "goal": GOAL, "met": met}
