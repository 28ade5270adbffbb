"""The one console the command line prints to: as wide as the terminal, or 160 columns into a pipe."""
from __future__ import annotations

import os

from rich.console import Console

console = Console(width=None if os.isatty(1) else 160)
