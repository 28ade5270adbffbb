"""Builders as they were when an earlier template version was in force, keyed by (kind, version).

A revision's data digest is fixed when it is issued; rendering it again (its first fetch after an
upgrade, audit replay) must rebuild the very same fields from the same facts. So a builder whose fields
change keeps its old body here, beside the old template kept in rendering/templates/past/. A template
version that changed only the layout needs no entry: the builder in force serves it.

Bumping a builder's fields: copy the template to past/<kind>.v<N>.yaml, copy the builder here as
(kind, N), then bump the template's version and change the builder.
"""
from __future__ import annotations

from typing import Any, Callable

from services.documents.letters import _addressee, _chain, _drafts, _latest_files
from services.documents.view import CaseView, common


def surat_masuk_v3(v: CaseView) -> dict[str, Any] | None:
    """Before the due date was a fact: the statutory clock's rule only."""
    made = v.producing("surat_masuk")
    if not made:
        return None
    clerk = v.taken_up_after(made[0])
    clock = v.sop.statutory_clock
    due = (f"{clock.working_days} hari kerja sejak diterima, dapat diperpanjang {clock.extension_working_days} "
           f"hari kerja ({clock.basis})") if clock else None
    return common(v) | {"received_at": made[0]["occurred_at"], "received_by": v.person(clerk) if clerk else None,
                        "answer_due": due}


def disposisi_surat_v3(v: CaseView) -> dict[str, Any] | None:
    """Before the batas waktu."""
    made = v.producing("disposisi_surat")
    return common(v) | {"dispositions": [
        {"from": v.person(s), "to": v.role_label(s["data"].get("next_role")), "instruction": v.decision_label(s),
         "note": s.get("note"), "at": s["occurred_at"], "initials": v.paraf(s)} for s in made]} if made else None


def surat_permintaan_data_v2(v: CaseView) -> dict[str, Any] | None:
    """Before the checklist agreed with an 'incomplete' decision."""
    made = v.producing("surat_permintaan_data")
    if not made:
        return None
    check, form, letter = made[-1], v.form, v.form.get("letter") or {}
    present = {"Identitas pemohon dan kontak": v.applicant.get("name") and (v.applicant.get("phone") or
                                                                         v.applicant.get("email")),
               "Nomor dan tanggal surat": letter.get("number") and letter.get("date"),
               "Rincian informasi yang dibutuhkan": form.get("details") or form.get("subject"),
               "Tujuan penggunaan informasi": letter.get("purpose_of_use")}
    return common(v) | {"decision": v.decision_label(check), "note": check.get("note"),
                        "verified_at": check["occurred_at"], "verified_by": v.person(check),
                        "checklist": [{"item": item, "status": "Ada" if ok else "Tidak ada"}
                                      for item, ok in present.items()]}



def hasil_pengolahan_data_v2(v: CaseView) -> dict[str, Any] | None:
    """Before the berita acara had its opening and signatures (letters.py's builder then)."""
    rounds = v.producing("hasil_pengolahan_data")
    if not rounds:
        return None
    latest = rounds[-1]
    return common(v) | {"prepared_by": v.person(latest), "prepared_at": latest["occurred_at"], "round": len(rounds),
                        "note": latest.get("note"), "files": list(latest["data"].get("attachments") or [])}


def surat_jawaban_v2(v: CaseView) -> dict[str, Any] | None:
    """The reply with its paraf chain beside the signature, and '-' where an unsigned letter's signer goes."""
    chain = _chain(v)
    if not chain:
        return None
    signed = next((s for s in chain if (d := v.decision(s)) is not None and d.numbers == "letter"), None)
    initialled = chain[:chain.index(signed)] if signed else chain
    withheld = [s["data"]["withheld_parts"] for s in initialled if s["data"].get("withheld_parts")]
    drafts = _drafts(v)
    return common(v) | {
        "number": signed.get("letter_number") if signed else None,
        "date": (signed or initialled[-1])["occurred_at"], "addressee": _addressee(v),
        "body": drafts[-1]["data"]["draft"] if drafts else None, "attachments": _latest_files(v),
        "withheld_parts": withheld[-1] if withheld else [],
        "paraf": [{"role": v.role_label(s["actor"]["role"]), "name": v.person(s)["name"], "paraf": v.paraf(s),
                   "at": s["occurred_at"]}
                  for s in initialled],
        "signature": v.signatory(signed) if signed else None}


PAST_BUILDERS: dict[tuple[str, int], Callable[[CaseView], dict[str, Any] | None]] = {
    ("surat_jawaban", 2): surat_jawaban_v2,
    ("surat_masuk", 3): surat_masuk_v3, ("disposisi_surat", 3): disposisi_surat_v3,
    ("surat_permintaan_data", 2): surat_permintaan_data_v2, ("hasil_pengolahan_data", 2): hasil_pengolahan_data_v2,
}
