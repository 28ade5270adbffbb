"""Drives every SOP along every branch through the public HTTP API, as a portal and the staff would."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx

KEYS = {  # the demo credentials of services/intake/demo-credentials.yaml, by role
    "pemohon": "demo-portal", "petugas_tu": "demo-tu", "kabid": "demo-kabid", "sub_koordinator": "demo-subkor",
    "admin_aplikasi": "demo-admin", "staf_data": "demo-staf", "sekretaris": "demo-sekretaris",
    "kepala_badan": "demo-kaban",
}
# What the staff hand in at the steps whose output carries content (a scan of the signed reply here).
SIGNED_SCAN = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
               b"trailer<</Root 1 0 R>>\n%%EOF\n")
UPLOADS = {
    "data_prepared": ("data-rkpd-ketapang.csv", "text/csv", b"tahun,indikator,nilai\n2025,IPM,70.12\n2025,TPT,4.8\n"),
    "signed": ("surat-jawaban-ditandatangani.pdf", "application/pdf", SIGNED_SCAN),
}
DRAFT = "Bersama ini kami sampaikan data yang Saudara minta sebagaimana terlampir."
# What each actor writes as the step's note: Indonesian, as the papers print it.
NOTES = {
    "registered": "Dicatat di buku register", "recorded": "Hasil dicatat di buku register",
    "received": "Diterima oleh pemohon", "to_sub_koordinator": "Mohon ditindaklanjuti oleh Sub Koordinator",
    "to_admin_aplikasi": "Mohon difasilitasi Admin Aplikasi", "needs_admin": "Perlu bantuan Admin Aplikasi",
    "facilitated": "Sudah difasilitasi", "settled_by_sub_koordinator": "Diselesaikan oleh Sub Koordinator",
    "not_this_division": "Bukan kewenangan bidang ini; silakan menghubungi perangkat daerah terkait",
    "with_kabid": "Koordinasi bersama Kabid", "settle_by_sub_koordinator": "Mohon diselesaikan Sub Koordinator",
    "answered": "Dijelaskan tahapan dan data yang tersedia", "verified": "Berkas lengkap dan sesuai",
    "incomplete": "Tujuan penggunaan informasi belum dicantumkan", "approved": "Setuju, mohon ditindaklanjuti",
    "refused": "Informasi yang diminta termasuk informasi yang dikecualikan",
    "dispositioned": "Siapkan data sesuai permintaan", "drafted": "Konsep jawaban disiapkan",
    "data_prepared": "Data sudah disiapkan", "data_wrong": "Data tahun 2025 belum dimutakhirkan",
    "verified_with_withheld_parts": "Data benar; data pribadi dikecualikan", "initialled": "Setuju",
    "signed": "Ditandatangani", "handed_over": "Diserahkan kepada pemohon",
}
WITHHELD = [{"part": "Data NIK penerima bantuan", "legal_ground": "UU 14/2008 pasal 17 huruf h (data pribadi)"}]


@dataclass
class Scenario:
    sop_id: str
    title: str
    moves: list[tuple[int, str, str]]  # (step, decision, role)
    outcome: str
    notes: dict[str, str] = field(default_factory=dict)


def scenarios() -> list[Scenario]:
    a_tail = [(7, "recorded", "petugas_tu"), (8, "received", "pemohon")]
    b_tail = [(5, "answered", "sub_koordinator"), (6, "recorded", "petugas_tu"), (7, "received", "pemohon")]
    c_head = [(2, "verified", "petugas_tu"), (3, "approved", "kepala_badan"), (4, "dispositioned", "kabid"),
              (5, "drafted", "sub_koordinator"), (6, "data_prepared", "staf_data")]
    c_tail = [(8, "initialled", "kabid"), (9, "initialled", "sekretaris"), (10, "signed", "kepala_badan"),
              (11, "handed_over", "petugas_tu"), (12, "received", "pemohon")]
    reg = [(2, "registered", "petugas_tu")]
    return [
        Scenario("sop-a", "via Sub Koordinator and Admin", reg + [(4, "to_sub_koordinator", "kabid"),
                 (5, "needs_admin", "sub_koordinator"), (6, "facilitated", "admin_aplikasi")] + a_tail, "completed"),
        Scenario("sop-a", "Kabid skips the Sub Koordinator", reg + [(4, "to_admin_aplikasi", "kabid"),
                 (6, "facilitated", "admin_aplikasi")] + a_tail, "completed"),
        Scenario("sop-a", "Sub Koordinator settles it", reg + [(4, "to_sub_koordinator", "kabid"),
                 (5, "settled_by_sub_koordinator", "sub_koordinator")] + a_tail, "completed"),
        Scenario("sop-a", "not this division", reg + [(4, "not_this_division", "kabid")], "not_this_division"),
        Scenario("sop-b", "Kabid takes part", reg + [(4, "with_kabid", "kabid")] + b_tail, "completed"),
        Scenario("sop-b", "Sub Koordinator settles it", reg + [(4, "settle_by_sub_koordinator", "kabid")] + b_tail,
                 "completed"),
        Scenario("sop-b", "not this division", reg + [(4, "not_this_division", "kabid")], "not_this_division"),
        Scenario("sop-c", "answered in full", c_head + [(7, "verified", "sub_koordinator")] + c_tail, "completed"),
        Scenario("sop-c", "data wrong, redone, parts withheld", c_head + [(7, "data_wrong", "sub_koordinator"),
                 (6, "data_prepared", "staf_data"), (7, "verified_with_withheld_parts", "sub_koordinator")] + c_tail,
                 "completed"),
        Scenario("sop-c", "request incomplete", [(2, "incomplete", "petugas_tu"), (3, "incomplete", "kepala_badan")],
                 "incomplete"),
        Scenario("sop-c", "request refused", [(2, "verified", "petugas_tu"), (3, "refused", "kepala_badan")],
                 "refused"),
    ]


def submission(sop_id: str, n: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sop_id": sop_id, "subject": f"Permohonan {sop_id.upper()} nomor {n}",
        "applicant": {"name": f"Pemohon {n}", "institution": "Dinas Pekerjaan Umum Kab. Ketapang",
                      "phone": "0812-5555-0100", "email": "pemohon@example.go.id"},
        "details": "Mohon bantuan sesuai SOP.",
    }
    if sop_id == "sop-c":
        body["letter"] = {"number": f"005/{n}/DPU/2026", "date": "2026-11-20",
                          "purpose_of_use": "Penyusunan Renja Perangkat Daerah"}
    return body


def move_body(decision: str) -> dict[str, Any]:
    body: dict[str, Any] = {"decision": decision, "note": NOTES.get(decision, "Selesai")}
    if decision == "verified_with_withheld_parts":
        body["withheld_parts"] = WITHHELD
    return body


def run_scenario(client: httpx.Client, scenario: Scenario, n: int, answered: dict[str, Any] | None = None) -> str:
    """Runs one scenario; returns the case id once the register shows its outcome. `answered` receives
    the submission's answer (register number, tracking code)."""
    r = client.post("/requests", json=submission(scenario.sop_id, n), headers=auth("pemohon"))
    r.raise_for_status()
    if answered is not None:
        answered.update(r.json())
    case_id = r.json()["case_id"]
    wait_until(client, case_id, lambda c: c["current_step"] == 2)
    for step, decision, role in scenario.moves:
        body = move_body(decision) | content(client, case_id, decision, role)
        r = client.post(f"/cases/{case_id}/steps/{step}", json=body, headers=auth(role))
        if r.status_code != 200:
            raise RuntimeError(f"{scenario.sop_id} step {step} {decision}: {r.status_code} {r.text}")
    wait_until(client, case_id, lambda c: c["outcome"] == scenario.outcome)
    return case_id


def step_content(decision: str) -> tuple[dict[str, Any], tuple[str, str, bytes] | None]:
    """What a decision carries besides its note: the draft text, and a file to upload first."""
    return ({"draft": DRAFT} if decision == "drafted" else {}), UPLOADS.get(decision)


def upload_request(case_id: str, role: str, upload: tuple[str, str, bytes]) -> dict[str, Any]:
    name, media_type, data = upload
    return {"url": f"/cases/{case_id}/attachments", "content": data,
            "headers": auth(role) | {"Content-Type": media_type, "X-Filename": name}}


def content(client: httpx.Client, case_id: str, decision: str, role: str) -> dict[str, Any]:
    extra, upload = step_content(decision)
    if upload:
        r = client.post(**upload_request(case_id, role, upload))
        r.raise_for_status()
        extra["attachments"] = [r.json()["sha256"]]
    return extra


def auth(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[role]}"}


def every_item(client: httpx.Client, path: str, role: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paged list, following its `next` cursors."""
    found, after = [], None
    while True:
        r = client.get(path, headers=auth(role), params={**params, **({"after": after} if after else {})})
        r.raise_for_status()
        page = r.json()
        found.extend(page["items"])
        after = page["next"]
        if after is None:
            return found


def wait_until(client: httpx.Client, case_id: str, ok, timeout_s: float = 10) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        r = client.get(f"/cases/{case_id}", headers=auth("petugas_tu"))
        if r.status_code == 200 and ok(r.json()):
            return r.json()
        if time.monotonic() > deadline:
            raise TimeoutError(f"case {case_id} did not reach the expected state: {r.status_code} {r.text[:300]}")
        time.sleep(0.05)


def left_open_too_long(client: httpx.Client, days_ago: int = 3, timeout_s: float = 60) -> dict[str, Any]:
    """A request registered days ago and left at step 2: the SLA monitor must flag it and escalate."""
    from datetime import datetime, timedelta, timezone

    body = submission("sop-b", 999) | {
        "subject": "Permohonan yang terlambat ditangani",
        "occurred_at": (datetime.now(timezone.utc) - timedelta(days=days_ago)).isoformat(),
    }
    r = client.post("/requests", json=body, headers=auth("pemohon"))
    r.raise_for_status()
    case_id = r.json()["case_id"]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        escalated = every_item(client, "/inbox/escalated", "sekretaris")
        found = [e for e in escalated if e["case_id"] == case_id]
        if found:
            return found[0]
        time.sleep(0.5)
    raise TimeoutError(f"no escalation for case {case_id} within {timeout_s:.0f} s: is the SLA service running?")
