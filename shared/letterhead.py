"""The kop surat (letterhead), signature captions and the agency's letter conventions: settings, not
constants (env prefix SOP_LETTERHEAD_).

Here, in shared, because two services print it: documents on every letter and sheet, the SLA service on
the capaian kinerja monitoring form. One set of SOP_LETTERHEAD_* variables heads both. Every revision
records the values in force when it was issued, so a changed address never changes an old paper.

The defaults follow Permendagri 1/2023 (tata naskah dinas): kop with the lambang daerah, the street
address, telephone, laman and pos-el; the closing sentence and the Tembusan are the agency's own and may
differ, so they are settings too. EXAMPLE DATA: the street, telephone and e-mail below are placeholders
until SOP_LETTERHEAD_ADDRESS and SOP_LETTERHEAD_CONTACT are set; the emblem is a drawn placeholder
until SOP_LETTERHEAD_LOGO names the lambang daerah's image file.
"""
from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class LetterheadSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOP_LETTERHEAD_", env_file=".env", extra="ignore")

    government: str = "PEMERINTAH KABUPATEN KETAPANG"
    agency: str = "BADAN PERENCANAAN PEMBANGUNAN DAERAH"
    address: str = "Jalan Jenderal Sudirman Nomor 1, Ketapang, Kalimantan Barat 78811"
    contact: str = "Telepon (0534) 300000 · Laman bappeda.ketapangkab.go.id · Pos-el bappeda@ketapangkab.go.id"
    logo: str = ""  # a PNG or JPEG of the lambang daerah; empty: a drawn placeholder emblem
    city: str = "Ketapang"  # the place in "Ketapang, 28 November 2026"
    short_name: str = "BAPPEDA Kabupaten Ketapang"
    head_title: str = "KEPALA BADAN PERENCANAAN\nPEMBANGUNAN DAERAH\nKABUPATEN KETAPANG"  # \n: line breaks
    # The reply letter: its opening cites the incoming letter; {number}, {date} and {subject} are filled in.
    reply_opening: str = ("Menindaklanjuti surat Saudara Nomor {number} tanggal {date} perihal {subject}, "
                          "dengan hormat kami sampaikan hal-hal sebagai berikut.")
    closing: str = "Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih."
    tembusan: str = "Bupati Ketapang (sebagai laporan)\nSekretaris Daerah Kabupaten Ketapang\nArsip"  # \n: one a line
