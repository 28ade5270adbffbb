"""A sample data dict for every template kind: the shape the wiring must build from events.

Used by the tests, and handy for a benchmark or a look at the layouts (`python -m
services.documents.rendering.samples OUT_DIR` writes one PDF per kind). Times are aware (WIB = UTC+7).
"""
from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from services.documents.notices import GROUND, HAL, KEBERATAN, STATEMENT

WIB = timezone(timedelta(hours=7))
APPLICANT = {"name": "Rina Marlina", "institution": "Dinas Pendidikan dan Kebudayaan Kabupaten Ketapang",
             "phone": "0812 5566 7788", "email": "rina.marlina@example.go.id"}
LETTER = {"number": "421/215/DISDIKBUD-A/2026", "date": date(2026, 11, 20),
          "purpose_of_use": "Penyusunan Rencana Kerja Dinas Pendidikan Tahun 2027"}
SUBJECT = "Permintaan data capaian indikator RPJMD bidang pendidikan 2021-2025"
FILE = {"name": "capaian-indikator-pendidikan.xlsx", "size": 48213,
        "media_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "sha256": "9f2c4e1a7b3d5f608192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


def person(name: str, role: str) -> dict[str, str]:
    return {"name": name, "role_label": role}


KABID = person("Ir. Dedi Kurniawan, M.T.", "Kabid Perencanaan Strategis dan Pengendalian")
SUB = person("Yuliana Sari, S.E., M.Si.", "Sub Koordinator Perencanaan Strategis")
TU = person("Agus Salim", "Petugas TU/UKP")
COMMON = {"register_number": "REG/2026/000123", "applicant": APPLICANT, "subject": SUBJECT,
          "details": "Data capaian indikator kinerja urusan pendidikan per tahun, per kecamatan.",
          "registered_at": at(23, 8, 15), "sop_title": "Permintaan Konsultasi dan Koordinasi"}
ENTRIES = [
    {"occurred_at": at(23, 8, 30), "step": 2, "actor": TU, "decision": "Dicatat dan lembar koordinasi dibuat"},
    {"occurred_at": at(23, 10, 5), "step": 4, "actor": KABID, "decision": "Koordinasi bersama Kabid",
     "note": "Mohon dijawab dengan data RPJMD terakhir."},
    {"occurred_at": at(24, 9, 40), "step": 5, "actor": SUB, "decision": "Dijawab",
     "note": "Dijelaskan tahapan penyusunan Renja dan keselarasan dengan RPJMD; bahan paparan diserahkan."},
]
LETTER_BODY = ("Data capaian indikator RPJMD bidang pendidikan yang Saudara minta kami sampaikan sebagaimana "
               "terlampir.\n\nSebagian informasi dikecualikan sesuai ketentuan Undang-Undang Nomor 14 Tahun 2008 "
               "tentang Keterbukaan Informasi Publik, dengan dasar hukum sebagaimana tercantum di bawah ini.")
ADDRESSEE = {"name": "Kepala Dinas Pendidikan dan Kebudayaan", "institution": "Kabupaten Ketapang", "place": "Ketapang"}
C = {**COMMON, "register_number": None, "number": "REG/2026/000124", "letter": LETTER,
     "received_at": at(23, 9, 0), "sop_title": "Permintaan Informasi Pembangunan Daerah"}

AGENCY = "Badan Perencanaan Pembangunan Daerah Kabupaten Ketapang"
SIGNED_REPLY = {**C, "number": "050/007/BAPPEDA/2026", "date": date(2026, 11, 28), "addressee": ADDRESSEE,
                "body": LETTER_BODY, "attachments": [FILE],
                "withheld_parts": [{"part": "Data NIK penerima bantuan",
                                    "legal_ground": "UU 14/2008 pasal 17 huruf h (data pribadi)"}],
                "signature": {"name": "HARTO, S.E., M.Si.", "rank": "Pembina Utama Muda (IV/c)",
                              "nip": "19670612 199604 1 001", "jabatan": "Kepala Badan", "acting": None,
                              "signed_at": at(28, 10, 15)}}
PARAF = [{"role": "Sub Koordinator", "name": SUB["name"], "paraf": "YS", "at": at(25, 9, 0)},
         {"role": "Kabid", "name": KABID["name"], "paraf": "DK", "at": at(25, 13, 10)},
         {"role": "Sekretaris Badan", "name": "Drs. M. Yusuf, M.Si.", "paraf": "MY", "at": at(27, 8, 45)}]
SAMPLES: dict[str, dict[str, Any]] = {
    "buku_tamu": {**COMMON, "number": "REG/2026/000123", "tracking_code": "K7QM-3XPA", "visited_at": at(23, 8, 10),
                  "received_by": {**TU, "signed_at": at(23, 8, 15)}, "guest": {"name": APPLICANT["name"]}},
    "buku_register": {**COMMON, "number": "REG/2026/000123", "recorded_by": TU, "status": "closed",
                      "outcome": "completed", "result": ENTRIES[2]["note"], "completed_at": at(25, 14, 0)},
    "lembar_koordinasi": {**COMMON, "number": "LK/2026/000123", "entries": ENTRIES},
    "lembar_hasil_koordinasi": {**COMMON, "number": "LHK/2026/000123", "completed_at": at(25, 14, 0),
                                "outcome": "completed", "result": ENTRIES[2]["note"], "entries": ENTRIES,
                                "handed_over_by": {**TU, "signed_at": at(25, 14, 0)},
                                "received_by": {"name": APPLICANT["name"], "signed_at": at(25, 14, 5)}},
    "surat_masuk": {**C, "received_by": TU, "answer_due": "10 hari kerja sejak diterima (UU 14/2008 pasal 22)", "attachments": [
        {"name": "surat-permintaan.pdf", "media_type": "application/pdf", "size": 182113}]},
    "surat_permintaan_data": {**C, "decision": "Lengkap dan terverifikasi", "verified_at": at(23, 9, 30),
                              "verified_by": TU, "checklist": [
        {"item": "Identitas pemohon dan kontak", "status": "Lengkap"},
        {"item": "Rincian informasi yang dibutuhkan", "status": "Lengkap"},
        {"item": "Tujuan penggunaan informasi", "status": "Lengkap"}]},
    "disposisi_surat": {**C, "dispositions": [
        {"from": person("HARTO, S.E., M.Si.", "Kepala Badan"), "to": "Kabid Perencanaan Strategis dan Pengendalian",
         "instruction": "Disetujui, tindak lanjuti", "note": "Siapkan data sesuai permintaan", "at": at(23, 11, 0),
         "initials": "HR"},
        {"from": KABID, "to": "Sub Koordinator Perencanaan Strategis", "instruction": "Sediakan data",
         "note": "Periksa kerahasiaan data", "at": at(23, 13, 30), "initials": "DK"}]},
    "konsep_surat_jawaban": {**C, "number": None, "date": date(2026, 11, 24), "addressee": ADDRESSEE,
                             "body": LETTER_BODY, "draft_version": 2, "drafted_by": SUB, "drafted_at": at(24, 10, 0),
                             "assigned_to": "Bambang Hermawan (Staf/Pengolah Data)", "revisions": [
        {"version": 1, "at": at(23, 15, 0), "by": SUB, "note": "Konsep awal"},
        {"version": 2, "at": at(24, 10, 0), "by": SUB, "note": "Data salah dikembalikan; lampiran diperbarui"}]},
    "hasil_pengolahan_data": {**C, "prepared_by": person("Bambang Hermawan", "Staf/Pengolah Data"),
                              "prepared_at": at(24, 15, 20), "round": 2, "note": "Perbaikan data 2023",
                              "files": [FILE]},
    "surat_jawaban": SIGNED_REPLY,
    "pertinggal_surat_jawaban": {**SIGNED_REPLY, "paraf": PARAF},
    "pemberitahuan_tertulis": {**C, "number": "050/008/BAPPEDA/2026", "date": date(2026, 11, 24),
                               "addressee": ADDRESSEE, "outcome": "refused", "hal": HAL["refused"],
                               "statement": STATEMENT["refused"].format(register="REG/2026/000124"),
                               "reason": "Data penerima bantuan memuat data pribadi",
                               "legal_ground": GROUND["refused"], "withheld_parts": [],
                               "keberatan": KEBERATAN.format(remedy="", agency=AGENCY),
                               "signature": {**SIGNED_REPLY["signature"], "signed_at": at(24, 9, 0)}},
}
REGISTER_ROWS = [
    {"register_number": "REG/2026/000123", "registered_on": "2026-11-23", "applicant": APPLICANT["name"],
     "institution": APPLICANT["institution"], "sop_id": "sop-b", "subject": "Konsultasi penyusunan Renja 2027",
     "status": "closed", "outcome": "completed", "closed_on": "2026-11-25"},
    {"register_number": "REG/2026/000124", "registered_on": "2026-11-23", "applicant": APPLICANT["name"],
     "institution": APPLICANT["institution"], "sop_id": "sop-c", "subject": SUBJECT, "status": "open"},
]
VERIFY_URL = "https://sop.bappeda.ketapangkab.go.id/verify/050-007-BAPPEDA-2026"

if __name__ == "__main__":
    from services.documents.rendering import LetterheadSettings, render, render_register

    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for kind, data in SAMPLES.items():
        (out / f"{kind}.pdf").write_bytes(render(kind, data, LetterheadSettings(), VERIFY_URL, at(28, 10, 15)).pdf)
    (out / "buku_register_periode.pdf").write_bytes(
        render_register(REGISTER_ROWS, date(2026, 11, 1), date(2026, 11, 30), LetterheadSettings()))
