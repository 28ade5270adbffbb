"""The written notice to an applicant whose request for information is refused or found incomplete
(UU 14/2008 pasal 22 ayat (7)): the reason and its ground, and the right to object (pasal 35-37).

The statute's wording is part of the fields, not of the template: a change to it makes a new revision of
the notices issued from then on and never alters one issued before.
"""
from __future__ import annotations

from typing import Any

from services.documents.view import CaseView, common

KIND = "pemberitahuan_tertulis"
UU_KIP = "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik"

HAL = {"incomplete": "Pemberitahuan permohonan informasi publik belum lengkap",
       "refused": "Pemberitahuan penolakan permohonan informasi publik"}
STATEMENT = {
    "incomplete": ("Dengan ini kami beritahukan bahwa permohonan informasi publik Saudara (nomor pendaftaran "
                   "{register}) belum dapat kami proses karena belum lengkap."),
    "refused": ("Dengan ini kami beritahukan bahwa permohonan informasi publik Saudara (nomor pendaftaran "
                "{register}) tidak dapat kami penuhi (ditolak)."),
}
GROUND = {
    "incomplete": "UU 14/2008 pasal 4 ayat (3) serta pasal 22 ayat (2) dan ayat (7)",
    "refused": "UU 14/2008 pasal 22 ayat (7) huruf c dan pasal 17, sebagaimana diuraikan pada alasan",
}
REMEDY = {"incomplete": "Saudara dapat mengajukan kembali permohonan setelah melengkapi kekurangan tersebut. ",
          "refused": ""}
KEBERATAN = ("{remedy}Atas pemberitahuan ini Saudara berhak mengajukan keberatan secara tertulis kepada atasan Pejabat "
             "Pengelola Informasi dan Dokumentasi (PPID) {agency} paling lambat 30 (tiga puluh) hari kerja sejak "
             "menerimanya (UU 14/2008 pasal 35 sampai dengan pasal 37); apabila tanggapan atasan PPID tidak "
             "memuaskan, sengketanya dapat diajukan kepada Komisi Informasi.")


def pemberitahuan_tertulis(v: CaseView) -> dict[str, Any] | None:
    """Made by the decision that does not approve the request (SOP C v2 step 3: refused, or incomplete), which
    is its signature: signed and numbered at once. The reason is that decision's note."""
    signed = next((s for s in reversed(v.steps) if KIND in v.outputs_of(s["step"]) and (d := v.decision(s))
                   is not None and d.end in HAL and d.numbers == "letter"), None)
    if signed is None:
        return None
    outcome = v.decision(signed).end  # type: ignore[union-attr]
    return common(v) | {
        "number": signed.get("letter_number"), "date": signed["occurred_at"], "outcome": outcome,
        "hal": HAL[outcome], "addressee": {"name": v.applicant.get("name"), "institution": v.applicant.get("institution")},
        "statement": STATEMENT[outcome].format(register=v.opened.get("register_number") or "-"),
        "reason": signed.get("note"), "legal_ground": GROUND[outcome],
        "withheld_parts": list(signed["data"].get("withheld_parts") or []),
        "keberatan": KEBERATAN.format(remedy=REMEDY[outcome], agency=v.sop.agency),
        "signature": v.signatory(signed)}
