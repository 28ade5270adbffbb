"""Each output kind's fields, built from a case's facts (a `CaseView`): the data its template prints.

A builder answers None while its document does not exist yet (no step that produces it has been
completed). Only facts go in, never the clock: the same facts always give the same fields.
"""
from __future__ import annotations

from typing import Any, Callable

from services.documents import berita_acara
from services.documents.letters import LETTER_BUILDERS
from services.documents.notices import pemberitahuan_tertulis
from services.documents.past_builders import PAST_BUILDERS
from services.documents.rendering import load_template
from services.documents.view import CaseView, common

Builder = Callable[[CaseView], "dict[str, Any] | None"]


def buku_tamu(v: CaseView) -> dict[str, Any] | None:
    made = v.producing("buku_tamu")
    if not made:
        return None
    guest = made[0]
    receiver = v.taken_up_after(guest)
    return common(v) | {"visited_at": guest["occurred_at"], "tracking_code": v.opened.get("tracking_code"),
                        "guest": {"name": v.applicant.get("name"), "signed_at": guest["occurred_at"]},
                        "received_by": v.person(receiver, "signed_at") if receiver else None}


def buku_register(v: CaseView) -> dict[str, Any] | None:
    made = v.producing("buku_register")
    if not made:
        return None
    closed = v.closed
    return common(v) | {"registered_at": made[0]["occurred_at"], "recorded_by": v.person(made[0]),
                        "status": "closed" if closed else "open", "outcome": closed and closed["data"]["outcome"],
                        "result": v.answer() if closed else None,
                        "completed_at": closed and closed["occurred_at"]}


def lembar_koordinasi(v: CaseView) -> dict[str, Any] | None:
    made = v.producing("lembar_koordinasi")
    return common(v) | {"entries": [v.entry(s) for s in made]} if made else None


def lembar_hasil_koordinasi(v: CaseView) -> dict[str, Any] | None:
    made = v.producing("lembar_hasil_koordinasi")
    if not made:
        return None
    received, entries = made[-1], [v.entry(s) for s in v.producing("lembar_koordinasi")]
    before = [s for s in v.steps if s is not received]
    decision = v.decision(received)
    return common(v) | {
        "completed_at": received["occurred_at"], "outcome": decision.end if decision else None, "entries": entries,
        "result": v.answer(),
        "handed_over_by": v.person(before[-1], "signed_at") if before else None,
        "received_by": {"name": v.applicant.get("name"), "signed_at": received["occurred_at"]}}


def surat_masuk(v: CaseView) -> dict[str, Any] | None:
    made = v.producing("surat_masuk")
    if not made:
        return None
    clerk = v.taken_up_after(made[0])
    clock = v.sop.statutory_clock
    due = (f"{clock.working_days} hari kerja sejak diterima, dapat diperpanjang {clock.extension_working_days} "
           f"hari kerja ({clock.basis})") if clock else None
    return common(v) | {"received_at": made[0]["occurred_at"], "received_by": v.person(clerk) if clerk else None,
                        "answer_due_at": v.answer_due_at, "answer_rule": due}


def surat_permintaan_data(v: CaseView) -> dict[str, Any] | None:
    made = v.producing("surat_permintaan_data")
    if not made:
        return None
    check = made[-1]
    decision = v.decision(check)
    return common(v) | {"decision": v.decision_label(check), "note": check.get("note"),
                        "verified_at": check["occurred_at"], "verified_by": v.person(check),
                        "checklist": checklist(v, check, incomplete=found_incomplete(check, decision))}


def found_incomplete(check: dict[str, Any], decision: Any) -> bool:
    """SOP C v1 ends the case as incomplete at the check; v2 sends the same decision up for the written notice."""
    return check.get("decision") == "incomplete" or bool(decision and decision.end == "incomplete")


def checklist(v: CaseView, check: dict[str, Any], incomplete: bool) -> list[dict[str, str]]:
    """The items of the request as the clerk's decision states them. The step records no verdict per item,
    only the decision and its note (required when incomplete): so an item the request fills is 'Tercantum'
    (written there, not judged sufficient) when the clerk found the request incomplete, and the checklist
    ends with the clerk's finding, the note saying what is missing; an item the request leaves empty is
    'Tidak ada' either way."""
    form, letter = v.form, v.form.get("letter") or {}
    present = {"Identitas pemohon dan kontak": v.applicant.get("name") and (v.applicant.get("phone") or
                                                                         v.applicant.get("email")),
               "Nomor dan tanggal surat": letter.get("number") and letter.get("date"),
               "Rincian informasi yang dibutuhkan": form.get("details") or form.get("subject"),
               "Tujuan penggunaan informasi": letter.get("purpose_of_use")}
    shown = "Tercantum" if incomplete else "Ada"
    rows = [{"item": item, "status": shown if ok else "Tidak ada"} for item, ok in present.items()]
    if incomplete:
        note = check.get("note")
        rows.append({"item": "Kelengkapan menurut petugas verifikasi",
                     "status": f"Tidak lengkap: {note}" if note else "Tidak lengkap"})
    return rows


def disposisi_surat(v: CaseView) -> dict[str, Any] | None:
    made = v.producing("disposisi_surat")
    return common(v) | {"answer_due_at": v.answer_due_at, "dispositions": [
        {"from": v.person(s), "to": v.role_label(s["data"].get("next_role")), "instruction": v.decision_label(s),
         "note": s.get("note"), "at": s["occurred_at"], "initials": v.paraf(s)} for s in made]} if made else None


BUILDERS: dict[str, Builder] = {
    "buku_tamu": buku_tamu, "buku_register": buku_register, "lembar_koordinasi": lembar_koordinasi,
    "lembar_hasil_koordinasi": lembar_hasil_koordinasi, "surat_masuk": surat_masuk,
    "surat_permintaan_data": surat_permintaan_data, "disposisi_surat": disposisi_surat, **LETTER_BUILDERS,
    "pemberitahuan_tertulis": pemberitahuan_tertulis,
    "hasil_pengolahan_data": berita_acara.hasil_pengolahan_data,  # v3 on: a berita acara, opened and signed
}


def build(kind: str, view: CaseView, template_version: int | None = None) -> dict[str, Any] | None:
    """The fields `kind` prints on its template `template_version` (None: the one in force). A builder
    whose fields change keeps its old self in past_builders.py under the template version that printed
    them, so a revision issued before reads the same fields, and so the same digest, for ever."""
    if template_version is not None and template_version != load_template(kind).version:
        past = PAST_BUILDERS.get((kind, template_version))
        if past is not None:
            return past(view)
    return BUILDERS[kind](view)
