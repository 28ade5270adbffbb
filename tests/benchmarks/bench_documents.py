"""Document rendering and the documents service's filing path, beside baselines measured in the same run.

    python -m tests.benchmarks.bench_documents [--pages N] [--renders N] [--cases N]

(1) baseline: reportlab itself (the same library, Canvas, invariant=1) writing an EMPTY A4 page to bytes,
    the least any PDF can cost here (pages/s);
(2) rendering alone: `render(kind, SAMPLES[kind], ...)` round-robin over every template kind, as a ratio to
    (1): what the templates, fonts, tables and QR codes add over a bare page;
(3) the whole filing path in a child process: a Documents app on SQLite (as tests/unit/test_documents.py
    builds it) fed complete cases from tests/case_log.py for the demo's scenarios in turn; documents issued/s
    beside (2) (issuing renders nothing: it builds the fields and records them), then the first fetch of
    every revision, rendered in the pool on every core, stored and recorded (docs/s beside (2));
(4) peak RSS of that child beside a child that imports and builds the same app and files nothing.
All data lives in a temporary directory, removed after. Not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import asyncio
import io
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from rich.console import Console
from rich.table import Table

from services.documents.application import Documents
from services.documents.bootstrap import issuer
from services.documents.on_request import Renderings
from services.documents.queries import case_documents
from services.documents.rendering import LetterheadSettings, render
from services.documents.rendering.samples import SAMPLES, VERIFY_URL
from system.demo import scenarios
from shared.eventstore import store_env
from shared.settings import Settings
from tests.case_log import CaseLog

ROOT = Path(__file__).resolve().parents[2]


def empty_page() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def baseline(pages: int) -> float:
    empty_page()  # warm-up
    started = time.perf_counter()
    for _ in range(pages):
        empty_page()
    return pages / (time.perf_counter() - started)


def rendering(renders: int) -> tuple[float, dict[str, float]]:
    letterhead, spent = LetterheadSettings(), {kind: [] for kind in SAMPLES}
    for kind, data in SAMPLES.items():  # warm-up: fonts, templates
        render(kind, data, letterhead, VERIFY_URL)
    for kind in itertools.islice(itertools.cycle(SAMPLES), renders):
        started = time.perf_counter()
        render(kind, SAMPLES[kind], letterhead, VERIFY_URL)
        spent[kind].append(time.perf_counter() - started)
    total = sum(sum(s) for s in spent.values())
    return renders / total, {kind: 1000 * sum(s) / len(s) for kind, s in spent.items() if s}


def child(role: str, cases: int, data_dir: Path) -> dict:
    """Runs in its own process: builds the app, files `cases` cases unless idle, reports peak RSS."""
    settings = Settings(persistence="sqlite", data_dir=data_dir)
    app = Documents(issuer(settings), env=store_env(settings, "documents"))
    found: dict = {"cases": 0, "messages": 0, "revisions": 0, "seconds": 0.0}
    case_ids: list[str] = []
    if role == "load":
        started = time.perf_counter()
        for n, scenario in zip(range(1, cases + 1), itertools.cycle(scenarios())):
            log = CaseLog(scenario.sop_id, n)
            for message in log.walk(scenario):
                found["messages"] += app.handle_message(message)
            found["revisions"] += sum(len(d["revisions"]) for d in case_documents(app, log.case_id) or [])
            found["cases"] += 1
            case_ids.append(log.case_id)
        found["seconds"] = time.perf_counter() - started
        found["fetch_seconds"] = asyncio.run(fetch_all(app, case_ids))
    return found | {"peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


async def fetch_all(app: Documents, case_ids: list[str]) -> float:
    """Seconds for every revision's first GET at once, once the pool has started (its imports are no render)."""
    first = app.case_file(case_ids[0])
    await app.issuer.pool.render(app.issuer.rerender(first, next(iter(first.documents)), 1))
    renderings, started = Renderings(app), time.perf_counter()
    await asyncio.gather(*(renderings.pdf(case_id, kind, r["revision"]) for case_id in case_ids
                           for kind, revisions in app.case_file(case_id).documents.items() for r in revisions))
    return time.perf_counter() - started


def spawn(role: str, cases: int, data_dir: Path) -> dict:
    command = [sys.executable, "-m", "tests.benchmarks.bench_documents", "--child", role, "--cases", str(cases),
               "--data", str(data_dir)]
    done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.splitlines()[-1])


def print_table(f: dict, console: Console) -> None:
    pages, docs, idle, load = f["pages_per_s"], f["documents_per_s"], f["idle"], f["load"]
    table = Table(title=f"bench_documents: {f['pages']} empty pages, {f['renders']} renders, {load['cases']} cases")
    for column in ("figure", "value", "baseline", "ratio", "note"):
        table.add_column(column, justify="left" if column in ("figure", "note") else "right")
    table.add_row("(1) reportlab, empty A4 page", f"{pages:,.0f} pages/s", "", "", f"{1000 / pages:.2f} ms a page")
    table.add_row("(2) render(), all kinds", f"{docs:,.1f} docs/s", f"{pages:,.0f} pages/s", f"{docs / pages:.3g}×",
                  "round-robin over SAMPLES")
    for i, (kind, ms) in enumerate(f["per_kind_ms"].items()):
        table.add_row(f"    {kind}", f"{ms:.1f} ms", f"{1000 / pages:.2f} ms", f"{ms * pages / 1000:.3g}×",
                      "" if i else "mean time per document ÷ per empty page")
    filed, issued = load["messages"] / load["seconds"], load["revisions"] / load["seconds"]
    table.add_row("(3) messages filed", f"{filed:,.1f} msg/s", "", "", f"{load['messages']} messages")
    table.add_row("(3) documents issued", f"{issued:,.1f} docs/s", f"{docs:,.1f} docs/s", f"{issued / docs:.3g}×",
                  "baseline: (2) rendering alone; issuing renders nothing")
    fetched = load["revisions"] / load["fetch_seconds"]
    table.add_row("(3) first fetch, every revision", f"{fetched:,.1f} docs/s", f"{docs:,.1f} docs/s",
                  f"{fetched / docs:.3g}×", f"rendered in the pool on {os.cpu_count()} cores, stored, recorded")
    table.add_row("(3) total", f"{load['seconds']:.1f} s", "", "",
                  f"{load['cases']} cases, {load['messages']} messages, {load['revisions']} revisions")
    table.add_row("(4) peak RSS, filing child", f"{load['peak_rss_kib'] / 1024:,.1f} MiB",
                  f"{idle['peak_rss_kib'] / 1024:,.1f} MiB", f"{load['peak_rss_kib'] / idle['peak_rss_kib']:.3g}×",
                  "baseline: child that builds the app, files nothing")
    console.print(table)


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_documents",
                                description=__doc__.split("\n")[0])
    p.add_argument("--pages", type=int, default=2000, help="empty pages for the reportlab baseline")
    p.add_argument("--renders", type=int, default=300, help="documents rendered, round-robin over the kinds")
    p.add_argument("--cases", type=int, default=60, help="complete cases filed, cycling the demo's scenarios")
    p.add_argument("--child", choices=("idle", "load"), help=argparse.SUPPRESS)
    p.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse(argv)
    if args.child:
        figures = child(args.child, args.cases, args.data)
        print(json.dumps(figures))
        return figures
    figures: dict = {"pages": args.pages, "renders": args.renders, "pages_per_s": baseline(args.pages)}
    figures["documents_per_s"], figures["per_kind_ms"] = rendering(args.renders)
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as tmp:
        figures["idle"] = spawn("idle", 0, Path(tmp) / "idle")
        figures["load"] = spawn("load", args.cases, Path(tmp) / "load")
    print_table(figures, Console(width=None if os.isatty(1) else 180))
    return figures


if __name__ == "__main__":
    main()
