"""Values as an Indonesian document prints them: dates with month names, times in WIB. No locale used."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from shared.agency import agency

WIB = agency().tz  # the agency's zone: Ketapang keeps WIB
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
EMPTY = "-"
STATUS = {"submitted": "Diajukan", "open": "Diproses", "paused": "Ditunda", "closed": "Ditutup"}
OUTCOME = {"completed": "Selesai", "not_this_division": "Bukan kewenangan bidang", "incomplete": "Tidak lengkap",
           "refused": "Ditolak"}


def as_datetime(value: Any) -> datetime | date | None:
    """A date, a datetime or an ISO-8601 string; an aware datetime is shown in WIB, a naive one is taken as WIB."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if ("T" in value or " " in value.strip()) else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.astimezone(WIB) if value.tzinfo else value.replace(tzinfo=WIB)
    return value


def tanggal(value: Any) -> str:
    """'28 November 2026'."""
    day = as_datetime(value)
    return EMPTY if day is None else f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def waktu(value: Any) -> str:
    """'28 November 2026 pukul 09.30 WIB'; a bare date prints as a date."""
    at = as_datetime(value)
    if at is None:
        return EMPTY
    if not isinstance(at, datetime):
        return tanggal(at)
    return f"{tanggal(at)} pukul {at:%H.%M} WIB"


def singkat(value: Any) -> str:
    """'25/11/2026 09.00 WIB': for narrow columns."""
    at = as_datetime(value)
    if at is None:
        return EMPTY
    return f"{at:%d/%m/%Y %H.%M} WIB" if isinstance(at, datetime) else f"{at:%d/%m/%Y}"


FILE_TYPES = {"application/pdf": "PDF", "text/csv": "CSV", "image/png": "PNG", "image/jpeg": "JPEG",
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX"}


def jenis(value: Any) -> str:
    """A media type as its short name: 'XLSX'."""
    return FILE_TYPES.get(value, text(value)) if isinstance(value, str) else text(value)


def ukuran(value: Any) -> str:
    """A byte count: '12,5 KB'."""
    if value in (None, ""):
        return EMPTY
    size = int(value)
    for unit, factor in (("MB", 1024 ** 2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".", ",")
    return f"{size} B"


def actor(value: Any) -> str:
    """{name, role_label|role} → 'Nama (Jabatan)'."""
    if not isinstance(value, dict):
        return text(value)
    name, role = value.get("name"), value.get("role_label") or value.get("role")
    return f"{name} ({role})" if name and role else text(name or role)


def lampiran(value: Any) -> str:
    count = len(value) if isinstance(value, (list, tuple)) else int(value or 0)
    return f"{count} berkas" if count else EMPTY


def text(value: Any) -> str:
    if value in (None, "", [], {}):
        return EMPTY
    if isinstance(value, (list, tuple)):
        return ", ".join(text(v) for v in value)
    if isinstance(value, datetime):
        return waktu(value)
    if isinstance(value, date):
        return tanggal(value)
    return str(value)


FORMATS = {"text": text, "date": tanggal, "datetime": waktu, "short": singkat, "size": ukuran, "filetype": jenis, "actor": actor, "count": lampiran,
           "status": lambda v: STATUS.get(v, text(v)), "outcome": lambda v: OUTCOME.get(v, text(v))}


def fmt(value: Any, kind: str = "text") -> str:
    return FORMATS[kind](value)
