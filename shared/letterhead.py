"""The kop surat (letterhead) and signature captions: settings, not constants (env prefix SOP_LETTERHEAD_).

Here, in shared, because two services print it: documents on every letter and sheet, the SLA service on
the capaian kinerja monitoring form. One set of SOP_LETTERHEAD_* variables heads both.
"""
from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class LetterheadSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOP_LETTERHEAD_", env_file=".env", extra="ignore")

    government: str = "PEMERINTAH KABUPATEN KETAPANG"
    agency: str = "BADAN PERENCANAAN PEMBANGUNAN DAERAH"
    address: str = "Ketapang, Kalimantan Barat"  # street, postcode: set SOP_LETTERHEAD_ADDRESS
    contact: str = ""  # e.g. "Telepon (0534) ... · Pos-el bappeda@ketapangkab.go.id"
    city: str = "Ketapang"  # the place in "Ketapang, 28 November 2026"
    short_name: str = "BAPPEDA Kabupaten Ketapang"
    head_title: str = "KEPALA BADAN PERENCANAAN\nPEMBANGUNAN DAERAH\nKABUPATEN KETAPANG"  # \n: line breaks
