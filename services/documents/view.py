"""A case as its documents see it at one version: the facts so far, read through the SOP definition."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.sop.schema import Decision, SopDefinition


@dataclass(frozen=True)
class CaseView:
    sop: SopDefinition
    facts: list[dict[str, Any]]

    @property
    def opened(self) -> dict[str, Any]:
        return next((f["data"] for f in self.facts if f["type"] == "CaseOpened"), {})

    @property
    def steps(self) -> list[dict[str, Any]]:
        return [f for f in self.facts if f["type"] == "StepCompleted"]

    @property
    def closed(self) -> dict[str, Any] | None:
        return next((f for f in self.facts if f["type"] == "CaseClosed"), None)

    @property
    def form(self) -> dict[str, Any]:
        return self.opened.get("form") or {}

    @property
    def applicant(self) -> dict[str, Any]:
        return self.form.get("applicant") or self.opened.get("applicant") or {}

    @property
    def registered_at(self) -> datetime | None:
        first = next((f for f in self.facts if f["type"] == "CaseOpened"), None)
        return first["occurred_at"] if first else None

    @property
    def answer_due_at(self) -> str | None:
        """The statutory deadline routing counted at registration (None before it was recorded, or
        without the clock): a fact, so the papers print the same date on every replay."""
        return self.opened.get("answer_due_at")

    def producing(self, kind: str) -> list[dict[str, Any]]:
        """The completed steps whose SOP step lists this output, in order."""
        return [s for s in self.steps if kind in self.outputs_of(s["step"])]

    def outputs_of(self, number: int) -> tuple[str, ...]:
        step = self.sop.step(number)
        return step.outputs if step else ()

    def taken_up_after(self, submitted: dict[str, Any]) -> dict[str, Any] | None:
        """The first step after the submission: the clerk who received the guest or the letter."""
        return next((s for s in self.steps if s["step"] != submitted["step"]), None)

    def role_label(self, role: str | None) -> str | None:
        return self.sop.roles.get(role, role) if role else None

    def person(self, fact: dict[str, Any], at_key: str | None = None) -> dict[str, Any]:
        """The actor of a step as a document names them: 'Name (Lane)', and when they signed. The name is the
        staff directory's (with gelar) when it knew them at the time, else the credential's."""
        actor, official = fact.get("actor") or {}, fact.get("official") or {}
        found = {"name": official.get("name") or actor.get("name"), "role_label": self.role_label(actor.get("role"))}
        return found | ({at_key: fact["occurred_at"]} if at_key else {})

    @staticmethod
    def paraf(fact: dict[str, Any]) -> str | None:
        """The initials the actor writes as paraf, as the staff directory records them; never guessed from a name."""
        return (fact.get("official") or {}).get("paraf")

    def decision(self, fact: dict[str, Any]) -> Decision | None:
        step = self.sop.step(fact["step"])
        return step.decision(fact.get("decision") or "") if step else None

    def decision_label(self, fact: dict[str, Any]) -> str | None:
        decision = self.decision(fact)
        return decision.label if decision else fact.get("decision")

    def entry(self, fact: dict[str, Any]) -> dict[str, Any]:
        """One line of a coordination sheet or a case history."""
        return {"occurred_at": fact["occurred_at"], "step": fact["step"], "actor": self.person(fact),
                "decision": self.decision_label(fact), "note": fact.get("note")}

    def answer(self) -> str | None:
        """The division's last note: what the applicant was told, not the front desk's or their own."""
        desk = {self.sop.step(self.sop.start).role} | {s.role for s in self.sop.steps if "buku_register" in s.outputs}
        noted = [s["note"] for s in self.steps if s.get("note") and (s.get("actor") or {}).get("role") not in desk]
        return noted[-1] if noted else None

    def signatory(self, fact: dict[str, Any]) -> dict[str, Any]:
        """The signer as the staff directory recorded them when they signed: name with gelar, pangkat/golongan,
        NIP, and the form (a.n., Plt., Plh.) when they signed for another office."""
        official = fact.get("official") or {}
        return {"name": official.get("name") or (fact.get("actor") or {}).get("name"), "signed_at": fact["occurred_at"],
                "rank": official.get("rank"), "nip": official.get("nip"), "jabatan": official.get("jabatan"),
                "acting": official.get("acting")}

    @staticmethod
    def signatory_due(facts: list[dict[str, Any]]) -> dict[str, Any] | None:
        """Who is to sign a letter not signed yet, as the staff directory named them at the latest of `facts`
        that recorded it: the block shows their office and name, and room left for the signature."""
        due = next((f["signatory_due"] for f in reversed(facts) if f.get("signatory_due")), None)
        if not due:
            return None
        return {"name": due.get("name"), "signed_at": None, "rank": due.get("rank"), "nip": due.get("nip"),
                "jabatan": due.get("jabatan"), "acting": due.get("acting"), "awaiting": True}


def common(v: CaseView) -> dict[str, Any]:
    return {"register_number": v.opened.get("register_number"), "number": v.opened.get("register_number"),
            "applicant": v.applicant, "subject": v.opened.get("subject"), "details": v.form.get("details"),
            "letter": v.form.get("letter"), "registered_at": v.registered_at, "received_at": v.registered_at,
            "sop_title": v.sop.title}
