"""DejaVu Sans, embedded as TrueType: shared/pdf_fonts.py, which the SLA report's PDF uses too."""
from __future__ import annotations

from shared.pdf_fonts import BOLD, REGULAR, register_fonts

__all__ = ["BOLD", "REGULAR", "register_fonts"]
