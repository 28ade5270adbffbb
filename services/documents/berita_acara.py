"""The berita acara of the prepared data (SOP C step 6): the data staff hands the data to the Sub
Koordinator who checks it (step 7). It opens as a berita acara does ("Pada hari ini …, tanggal … bulan …
tahun …"), names both parties, and ends with both signatures: the receiver's once the check is done."""
from __future__ import annotations

from typing import Any

from services.documents.rendering.formatting import actor
from services.documents.rendering.terbilang import tanggal_terbilang
from services.documents.view import CaseView, common
from shared.agency import agency

CLOSING = "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya."


def signer(v: CaseView, fact: dict[str, Any]) -> dict[str, Any]:
    """A party's signature block: name with gelar, pangkat/golongan and NIP as the directory had them."""
    found = v.signatory(fact)
    return {"name": found["name"], "signed_at": found["signed_at"], "rank": found["rank"], "nip": found["nip"]}


def hasil_pengolahan_data(v: CaseView) -> dict[str, Any] | None:
    """The latest round of prepared data (a round sent back and redone is a new revision), handed over."""
    rounds = v.producing("hasil_pengolahan_data")
    if not rounds:
        return None
    latest = rounds[-1]
    later = v.steps[v.steps.index(latest) + 1:]
    receipt = later[0] if later else None
    giver = v.person(latest)
    taker = v.person(receipt) if receipt else {"name": None, "role_label": v.role_label(latest["data"].get("next_role"))}
    files = list(latest["data"].get("attachments") or [])
    opening = (f"Pada hari ini {tanggal_terbilang(latest['occurred_at'])}, bertempat di {agency().name}, "
               f"{actor(giver)}, selanjutnya disebut PIHAK PERTAMA, menyerahkan kepada "
               f"{actor(taker) if taker['name'] else taker['role_label'] or '-'}, selanjutnya disebut PIHAK KEDUA, "
               f"hasil pengolahan data atas permohonan informasi \"{v.opened.get('subject') or '-'}\" "
               f"sebanyak {len(files)} berkas sebagaimana tercantum di bawah ini.")
    return common(v) | {"prepared_by": giver, "prepared_at": latest["occurred_at"], "round": len(rounds),
                        "note": latest.get("note"), "files": files, "opening": opening, "closing": CLOSING,
                        "handed_over_by": signer(v, latest),
                        "received_by": signer(v, receipt) if receipt else None}
