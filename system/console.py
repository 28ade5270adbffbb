"""The consoles the command line prints to: results on stdout, as wide as the terminal or 160 columns into a
pipe; progress bars on stderr, only on a terminal, so what a script reads (--json) is the result alone."""
from __future__ import annotations

import os

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

console = Console(width=None if os.isatty(1) else 160)
status = Console(stderr=True)


def progress_bars() -> Progress:
    return Progress(TextColumn("{task.description:<26}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("left"), TimeRemainingColumn(), console=status, disable=not status.is_terminal)
