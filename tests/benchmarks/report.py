"""The figures beside their baselines: a rich table on the terminal and a JSON file."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

Row = tuple[str, float | None, str, str, float | None, str]  # figure, value, unit, baseline, base value, note


def rows(f: dict[str, Any]) -> list[Row]:
    d, v, raw, saves, direct = f["drive"], f["probed_drive"], f["raw_redis"], f["raw_saves"], f["routing_direct"]
    out: list[Row] = [
        ("step commands/s (HTTP → stream → routing → reply)", d["commands_per_s"], "/s",
         "(c) Routing + handle_command direct, no HTTP/Redis", direct["commands_per_s"], "phase 1"),
        ("step commands/s", d["commands_per_s"], "/s", "(b) raw event-store saves, 1 event/save",
         saves["events_per_s"], "phase 1"),
        ("step commands/s while probing", v["commands_per_s"], "/s", "step commands/s without probes",
         d["commands_per_s"], f"phase 2, {v['gets']} GETs"),
    ]
    for p in ("p50", "p99"):
        out.append((f"command latency {p} (HTTP round trip)", d["command_latency"][f"{p}_ms"], "ms",
                    f"(c) direct command {p}", direct["command_latency"][f"{p}_ms"], "phase 1"))
    for what in ("register", "audit"):
        for p in ("p50", "p99"):
            out.append((f"200 → {what} shows the step, {p}", v[f"{what}_visible"][f"{p}_ms"], "ms",
                        f"(a) raw Redis XADD→XREADGROUP→XACK of 1 msg, {p}", raw["hop_latency"][f"{p}_ms"],
                        f"phase 2, n={v[f'{what}_visible']['n']}"))
    out += [
        ("events through the streams /s", d["stream_events_per_s"], "/s",
         "(a) raw Redis XADD→XREADGROUP(100)→XACK", raw["full_path_per_s"], f"phase 1, {raw['payload_bytes']} B"),
        ("replay events/s (services.intake.views.replay)", f["replay"]["events_per_s"], "/s",
         "(b) raw event-store saves, 1 event/save", saves["events_per_s"],
         "identical" if f["replay"]["identical"] else "DIFFERENT"),
    ]
    for name, mib in f["memory"]["peak_mib"].items():
        out.append((f"peak RSS {name}", mib, "MiB", f"RSS of {name} idle after start",
                    f["memory"]["idle_mib"].get(name), f"{f['memory']['samples']} samples"))
    return out


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:,.2f} {unit}"


def ms(stats: dict[str, Any]) -> str:
    return f"{stats['p50_ms']}/{stats['p99_ms']} ms"


def print_table(figures: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console(width=None if os.isatty(1) else 180)
    c, d, v = figures["config"], figures["drive"], figures["probed_drive"]
    table = Table(title=f"bench_flow: {c['cases']} cases per phase, concurrency {c['concurrency']}, "
                        f"services {', '.join(c['services'])}")
    for column in ("figure", "value", "baseline", "baseline value", "ratio", "note"):
        table.add_column(column, justify="right" if column in ("value", "baseline value", "ratio") else "left")
    for figure, value, unit, baseline, base, note in rows(figures):
        ratio = f"{value / base:.3g}×" if value is not None and base else "—"
        table.add_row(figure, fmt(value, unit), baseline, fmt(base, unit), ratio, note)
    console.print(table)
    for name, phase in (("phase 1", d), ("phase 2", v)):
        console.print(
            f"{name}: {phase['commands_ok']} step commands + {phase['submissions_ok']} submissions in "
            f"{phase['wall_s']:.2f} s; submission p50/p99 {ms(phase['submit_latency'])}; submission → case open "
            f"in register {ms(phase['opened_latency'])}; GET round trip {ms(phase['get_latency'])} "
            f"({phase['gets']} GETs); errors {len(phase['errors'])}, not completed {phase['not_completed']}")
    console.print(f"phase 2 probes: every {c['probe_every']}th step command, {v['probes']} probed, "
                  f"{v['probe_timeouts']} timeouts; poll every 5 ms; a visibility figure includes one GET round trip; "
                  f"{v['probe_first_get_hits']} of {2 * v['probes']} probe polls saw the step on their first GET")
    commands = d["commands_ok"] + v["commands_ok"]
    console.print("CPU during both phases (user+system): " + ", ".join(
        f"{n} {s:.1f} s ({s / commands * 1000:.1f} ms/step command)" for n, s in figures["cpu_s_both_phases"].items()))
    r = figures["replay"]
    console.print(f"replay: {r['events']} events ({r['applied']} applied) in {r['seconds']:.2f} s, rows {r['rows']}, "
                  f"identical={r['identical']}; streams {figures['streams']}")
    for error in (d["errors"] + v["errors"])[:5]:
        console.print(f"[red]error[/] {error}")


def write_json(figures: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, default=str))
