"""The audit guarantees' cost as a table: medians with both on and both off, the ratio and the cost in %,
each run's own figure beside them; then each pair's CPU per step command on ÷ off, its own verdict, and
whether the goal of issue 11 is met by the rule over the pairs (audit_cost_verdict.py: the median of the
pairs' CPU ratios ≤ 1.10 and no pair past 1.10 by more than the off-vs-off noise). Commands/s beside it."""
from __future__ import annotations

import os
import statistics
from typing import Any

from rich.console import Console
from rich.table import Table

from tests.benchmarks.audit_cost_verdict import GOAL, RULE, verdict
from tests.benchmarks.compare_report import fmt


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
    throughput, cpu = (cost(median(on, read), median(off, read), higher) for _, _, higher, read in
                       (rows([])[0], rows([])[3]))
    paired = [(a, b) for a, b in zip(on, off)]
    judged = verdict([a["cpu_ms_per_step"] for a, _ in paired], [b["cpu_ms_per_step"] for _, b in paired])
    unsettled = any(not r["settled"] or r["error_count"] for r in on + off)
    said = "not settled" if unsettled else judged.said
    before, after = config["load_before_after"]
    console.print(f"{config['cores']} cores, load average {before[0]:.2f} before and {after[0]:.2f} after; "
                  f"{config['wall_s']:.0f} s in all. CPU: user+system seconds of each target process (the machine's "
                  "redis-server included, shared with other work: an upper bound) from before the loop until the "
                  "target settled, ÷ the step commands (submissions, uploads and reads of the loop included).")
    for n, ((a, b), ratio, own) in enumerate(zip(paired, judged.ratios, judged.pairs), 1):
        console.print(f"pair {n}: CPU per step command on {a['cpu_ms_per_step']:.2f} ms, off {b['cpu_ms_per_step']:.2f} ms, "
                      f"on ÷ off {ratio:.3f} ({own}); step commands/s on {a['commands_per_s']:.1f}, off "
                      f"{b['commands_per_s']:.1f}, cost {pct(cost(a['commands_per_s'], b['commands_per_s'], True))}")
    noise = "—" if judged.noise is None else f"{judged.noise:.1%}"
    console.print(f"goal (issue 11): CPU per step command with both on at most {GOAL:.0%} above both off: "
                  f"{STYLE[said]}{said}[/]: median of the pairs' ratios "
                  + ("—" if judged.median_ratio is None else f"{judged.median_ratio:.3f}") + f", off-vs-off noise {noise}; "
                  + ("a run had errors or did not settle (below): its figures are not whole" if unsettled else judged.why)
                  + ". Cost of the medians: CPU per step command " + ("—" if cpu is None else f"{cpu:+.1%}")
                  + ", step commands/s " + ("—" if throughput is None else f"{throughput:+.1%}") + ".")
    console.print(f"rule: {RULE}.")
    for run in on + off:
        if run["error_count"] or not run["settled"] or run["deadline_hit"]:
            console.print(f"[red]{run['mode']}[/]: {run['error_count']} errors, settled={run['settled']}, "
                          f"deadline hit={run['deadline_hit']}; first: {run['errors'][:3]}")
    return {"throughput_cost": throughput, "cpu_per_step_cost": cpu, "goal": GOAL, "verdict": said,
            "cpu_ratios": judged.ratios, "pair_verdicts": judged.pairs, "median_cpu_ratio": judged.median_ratio,
            "off_noise": judged.noise, "rule": RULE,
            "paired_throughput_costs": [cost(a["commands_per_s"], b["commands_per_s"], True) for a, b in paired]}


def print_parts(parts: dict[str, float], cpu_off_ms: float) -> None:
    console = Console(width=None if os.isatty(1) else 200)
    table = Table(title="the guarantees' own work, in this process (SQLite files, as the system's)")
    for column in ("work", "CPU", "wall (disk waits too)", "per step command"):
        table.add_column(column, justify="left" if column == "work" else "right")
    table.add_row("chain: an event's link (hash, insert) beside a plain save", f"{parts['chain_cpu_us_per_event']:,.1f} µs",
                  f"{parts['chain_wall_us_per_event']:,.1f} µs", f"× {parts['events_per_step']:.2f} events")
    table.add_row("encryption: a submission's key made and form sealed", f"{parts['seal_cpu_us_per_submission']:,.1f} µs",
                  f"{parts['seal_wall_us_per_submission']:,.1f} µs", f"× {parts['submissions_per_step']:.3f} submissions")
    table.add_row("encryption: a read's key looked up and name opened", f"{parts['reveal_cpu_us_per_read']:,.1f} µs",
                  f"{parts['reveal_wall_us_per_read']:,.1f} µs", "× 1 read (at least)")
    table.add_row("estimate per step command", f"{parts['estimate_cpu_ms_per_step']:.3f} ms",
                  f"{parts['estimate_wall_ms_per_step']:.3f} ms",
                  f"{parts['estimate_cpu_ms_per_step'] / cpu_off_ms:+.1%} of {cpu_off_ms:.2f} ms CPU (both off)")
    console.print(table)
    console.print("A lower bound from the parts (a read opening more than the name, documents opening facts to "
                  "render count once); measured apart from the services, so other work moves it far less.")


def pct(share: float | None) -> str:
    return "—" if share is None else f"{share:+.1%}"


STYLE = {"met": "[bold green]", "not met": "[bold red]", "not settled": "[bold yellow]"}
