"""The reply's documents (SOP C): the draft, the prepared data, and the letter up its paraf chain."""
from __future__ import annotations

from typing import Any

from services.documents.view import CaseView, common


def _drafts(v: CaseView) -> list[dict[str, Any]]:
    return [s for s in v.steps if s["data"].get("draft")]


def _latest_files(v: CaseView) -> list[dict[str, Any]]:
    rounds = v.producing("hasil_pengolahan_data")
    return list(rounds[-1]["data"].get("attachments") or []) if rounds else []


def _addressee(v: CaseView) -> dict[str, Any]:
    return {"name": v.applicant.get("name"), "institution": v.applicant.get("institution")}


def konsep_surat_jawaban(v: CaseView) -> dict[str, Any] | None:
    """Every draft handed in is a version; the document shows the latest and the history."""
    drafts = _drafts(v)
    if not drafts:
        return None
    latest = drafts[-1]
    return common(v) | {
        "number": None, "date": latest["occurred_at"], "addressee": _addressee(v), "body": latest["data"]["draft"],
        "draft_version": len(drafts), "drafted_by": v.person(latest), "drafted_at": latest["occurred_at"],
        "assigned_to": v.role_label(drafts[0]["data"].get("next_role")),
        "revisions": [{"version": n, "at": d["occurred_at"], "by": v.person(d), "note": d.get("note")}
                      for n, d in enumerate(drafts, 1)]}


def hasil_pengolahan_data(v: CaseView) -> dict[str, Any] | None:
    """The latest round of prepared data: a round sent back and redone is a new revision."""
    rounds = v.producing("hasil_pengolahan_data")
    if not rounds:
        return None
    latest = rounds[-1]
    return common(v) | {"prepared_by": v.person(latest), "prepared_at": latest["occurred_at"], "round": len(rounds),
                        "note": latest.get("note"), "files": list(latest["data"].get("attachments") or [])}


def _chain(v: CaseView) -> list[dict[str, Any]]:
    """The letter's steps since it was last sent back (e.g. 'data salah, dikembalikan ke staf')."""
    sent_back = [i for i, s in enumerate(v.steps)
                 if (d := v.decision(s)) is not None and d.next is not None and d.next < s["step"]]
    since = v.steps[sent_back[-1] + 1:] if sent_back else v.steps
    return [s for s in since if "surat_jawaban" in v.outputs_of(s["step"])]


def _signing(v: CaseView) -> tuple[dict[str, Any] | None, list[dict[str, Any]]] | None:
    """The letter's signing step (None while unsigned) and the steps that initialled it before."""
    chain = _chain(v)
    if not chain:
        return None
    signed = next((s for s in chain if (d := v.decision(s)) is not None and d.numbers == "letter"), None)
    return signed, chain[:chain.index(signed)] if signed else chain


def surat_jawaban(v: CaseView) -> dict[str, Any] | None:
    """Made when the data is verified; numbered and dated when signed. The copy sent carries no paraf (tata
    naskah dinas puts the chain on the archive copy); unsigned, its block names who is to sign.

    Handing it over and its receipt do not change the letter, so they issue no new revision.
    """
    found = _signing(v)
    if found is None:
        return None
    signed, initialled = found
    withheld = [s["data"]["withheld_parts"] for s in initialled if s["data"].get("withheld_parts")]
    drafts = _drafts(v)
    return common(v) | {
        "number": signed.get("letter_number") if signed else None,
        "date": (signed or initialled[-1])["occurred_at"], "addressee": _addressee(v),
        "body": drafts[-1]["data"]["draft"] if drafts else None, "attachments": _latest_files(v),
        "withheld_parts": withheld[-1] if withheld else [],
        "signature": v.signatory(signed) if signed else v.signatory_due(initialled)}


def pertinggal_surat_jawaban(v: CaseView) -> dict[str, Any] | None:
    """The archive copy (pertinggal): the letter as sent, with the paraf of everyone who initialled it."""
    letter, found = surat_jawaban(v), _signing(v)
    if letter is None or found is None:
        return None
    return letter | {"paraf": [{"role": v.role_label(s["actor"]["role"]), "name": v.person(s)["name"],
                                "paraf": v.paraf(s), "at": s["occurred_at"]} for s in found[1]]}


LETTER_BUILDERS = {"konsep_surat_jawaban": konsep_surat_jawaban, "hasil_pengolahan_data": hasil_pengolahan_data,
                   "surat_jawaban": surat_jawaban, "pertinggal_surat_jawaban": pertinggal_surat_jawaban}

