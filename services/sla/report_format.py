"""How the capaian kinerja report prints numbers, shares and days: Indonesian, one way everywhere.

A share is always "80 %" / "66,7 %" (decimal comma, a space before the sign); a missing one is "—".
"""
from __future__ import annotations

from datetime import date

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
NONE = "—"


def num(x: float) -> str:  # decimal comma, no trailing zero: 1.80 -> "1,8", 0.25 -> "0,25", 80.0 -> "80"
    return f"{x:.{2 if abs(x) < 1 else 1}f}".rstrip("0").rstrip(".").replace(".", ",")


def percent(part: int, whole: int) -> float | None:
    """part of whole in %, to one decimal; None of nothing."""
    return round(100 * part / whole, 1) if whole else None


def pct(share_pct: float | None) -> str:
    """A percentage already in % (66.7), as printed: "66,7 %"."""
    return NONE if share_pct is None else f"{num(share_pct)} %"


def share(fraction: float) -> str:
    """A fraction (0.8), as printed: "80 %"."""
    return pct(round(100 * fraction, 1))


def duration(standard: str, standard_hours: float | None, hours: float) -> str:
    """`hours` of working time in the standard's unit: days when it is whole days ("1 hari")."""
    days = standard.removesuffix(" hari").replace(",", ".")
    in_days = days.replace(".", "", 1).isdigit() and standard_hours
    return f"{num(hours / standard_hours * float(days))} hari" if in_days else f"{num(hours)} jam"


def tanggal(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def period_label(start: date, end: date) -> str:
    span = f"{tanggal(start)} – {tanggal(end)}"
    if start.year == end.year and (start.month, start.day, end.month, end.day) in ((1, 1, 6, 30), (7, 1, 12, 31)):
        return f"Semester {'I' if start.month == 1 else 'II'} {start.year} ({span})"
    return span
