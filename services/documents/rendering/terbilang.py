"""Numbers and days in words, as a berita acara writes its date: 'Rabu, tanggal dua puluh lima bulan
November tahun dua ribu dua puluh enam'. No locale used."""
from __future__ import annotations

from typing import Any

from services.documents.rendering.formatting import EMPTY, MONTHS, as_datetime

UNITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def terbilang(n: int) -> str:
    """0 ≤ n < 1 000 000 in Indonesian words: 25 → 'dua puluh lima', 2026 → 'dua ribu dua puluh enam'."""
    if not 0 <= n < 1_000_000:
        raise ValueError(f"{n} is out of range")
    if n < 12:
        return UNITS[n]
    if n < 20:
        return f"{UNITS[n - 10]} belas"
    for size, word, one in ((1000, "ribu", "seribu"), (100, "ratus", "seratus"), (10, "puluh", None)):
        if n >= size:
            head, rest = divmod(n, size)
            said = one if head == 1 and one else f"{terbilang(head)} {word}"
            return f"{said} {terbilang(rest)}" if rest else said
    raise AssertionError("unreachable")


def tanggal_terbilang(value: Any) -> str:
    """'Rabu, tanggal dua puluh lima bulan November tahun dua ribu dua puluh enam' (the agency's day)."""
    day = as_datetime(value)
    if day is None:
        return EMPTY
    return (f"{DAYS[day.weekday()]}, tanggal {terbilang(day.day)} bulan {MONTHS[day.month - 1]} "
            f"tahun {terbilang(day.year)}")
