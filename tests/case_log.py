"""The messages routing publishes for one case, as the documents service receives them.

Built from the SOP definitions and the demo's scenarios, so every branch can be fed to documents
without running routing; case versions and stream positions are those routing would give.
"""
from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta, timezone

from shared.contracts import EventMessage, stable_event_id
from shared.events import BY_TYPE
from system.demo import DRAFT, NOTES, WITHHELD, Scenario, submission
from shared.roles import ActingAs
from shared.sop.loader import SopLibrary

LIBRARY = SopLibrary.from_directory()
T0 = datetime(2026, 11, 25, 1, 0, tzinfo=timezone.utc)  # Wednesday 08:00 in Ketapang
POSITIONS = itertools.count(1)
NAMES = {"pemohon": "Portal Layanan Publik", "petugas_tu": "Siti Rahmawati", "kabid": "Andi Pratama",
         "sub_koordinator": "Rina Oktaviani", "admin_aplikasi": "Yusuf Hidayat", "staf_data": "Dewi Lestari",
         "sekretaris": "Hendra Wijaya", "kepala_badan": "HARTO, SE, MSI"}
# The demo credentials' ids (services/intake/demo-credentials.yaml): the staff directory knows them by these.
IDS = {"pemohon": "portal-lapor", "petugas_tu": "tu-siti", "kabid": "kabid-andi", "sub_koordinator": "subkor-rina",
       "admin_aplikasi": "admin-yusuf", "staf_data": "staf-dewi", "sekretaris": "sekban-hendra",
       "kepala_badan": "kaban-harto"}
DATA_FILE = {"sha256": "5" * 64, "name": "data-rkpd.csv", "media_type": "text/csv", "size": 1200}
SIGNED_FILE = {"sha256": "6" * 64, "name": "surat-ditandatangani.pdf", "media_type": "application/pdf", "size": 900}


class CaseLog:
    def __init__(self, sop_id: str, n: int = 1, *, sop_version: int | None = None):
        self.sop = LIBRARY.get(sop_id, sop_version) if sop_version else LIBRARY.latest(sop_id)
        self.case_id, self.version, self.at, self.n = str(uuid.uuid4()), 0, T0, n
        self.register_number = f"REG/2026/{n:06d}"

    def message(self, type_: str, **fields) -> EventMessage:
        self.version += 1
        data = fields.pop("data", {}) | {"case_version": self.version}
        return BY_TYPE[type_](event_id=stable_event_id("routing", self.case_id, self.version),
                              source="routing", position=next(POSITIONS), case_id=self.case_id, sop_id=self.sop.id,
                              sop_version=self.sop.version, occurred_at=self.at, recorded_at=self.at, data=data,
                              **fields)

    def open(self, answer_due_at: datetime | None = None) -> list[EventMessage]:
        """`answer_due_at`: the statutory deadline routing would record (None: as before it did)."""
        form = submission(self.sop.id, self.n)
        del form["sop_id"]
        opened = self.message("CaseOpened", data={"register_number": self.register_number, "subject": form["subject"],
                                                  "answer_due_at": answer_due_at,
                                                  "applicant": form["applicant"], "form": form,
                                                  "current_step": self.sop.start,
                                                  "current_role": self.sop.step(self.sop.start).role})
        return [opened, self.complete(self.sop.start, self.sop.step(self.sop.start).decisions[0].id)]

    def complete(self, step: int, decision: str, note: str | None = None, draft: str | None = None) -> EventMessage:
        self.at += timedelta(minutes=30)
        role = self.sop.step(step).role
        following = self.sop.step(step).decision(decision).next
        content = {"draft": draft or (DRAFT if decision == "drafted" else None), "command_id": f"c-{self.version}",
                   "withheld_parts": WITHHELD if decision == "verified_with_withheld_parts" else [],
                   "attachments": [DATA_FILE] if decision == "data_prepared" else
                   [SIGNED_FILE] if decision == "signed" else []}
        return self.message("StepCompleted", step=step, decision=decision, note=note or NOTES.get(decision, "Selesai"),
                            actor=ActingAs(id=IDS.get(role, f"u-{role}"), name=NAMES.get(role, role), role=role),
                            data={"next_step": following, "next_role": following and self.sop.step(following).role}
                            | content)

    def close(self, outcome: str) -> EventMessage:
        return self.message("CaseClosed", data={"outcome": outcome})

    def walk(self, scenario: Scenario) -> list[EventMessage]:
        opening = self.open()
        moves = [self.complete(step, decision) for step, decision, _ in scenario.moves]
        return opening + moves + [self.close(scenario.outcome)]
