"""A running case keeps the SOP version it started on; new cases start on the newest."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import yaml

from services.intake.application import Intake
from services.intake.messages import to_message
from services.routing.application import Routing
from shared.clock import FixedClock
from shared.contracts import StepCommand
from shared.roles import Actor
from shared.sop.loader import DEFAULT_DIR, SopLibrary, parse_definition

POPO = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
PORTAL = Actor(id="portal", name="Portal", roles=("pemohon",))
FORM = {"subject": "Bantuan SIPD", "applicant": {"name": "Budi", "institution": "Dinas PU"}}


def library_with_v2() -> SopLibrary:
    """SOP A version 2: the step-4 check moves from the Kabid to the Sekretaris."""
    raw = yaml.safe_load((DEFAULT_DIR / "sop-a.v1.yaml").read_text(encoding="utf-8"))
    raw["version"] = 2
    raw["roles"]["sekretaris"] = "Sekretaris Badan"
    next(s for s in raw["steps"] if s["number"] == 4)["role"] = "sekretaris"
    v2 = parse_definition(yaml.safe_dump(raw), "sop-a.v2.yaml")
    return SopLibrary(SopLibrary.from_directory().all() + [v2])


def open_case(intake: Intake, routing: Routing) -> str:
    request = intake.submit("sop-a", FORM, PORTAL)
    notification = intake.recorder.select_notifications(start=0, limit=100)[-1]
    routing.handle_message(to_message(intake.mapper.to_domain_event(notification), notification.id))
    return str(request.id)


def step(routing: Routing, case_id: str, number: int, decision: str, role: str) -> None:
    routing.complete_step(StepCommand(command_id=f"{case_id}-{number}", case_id=case_id, step=number,
                                      decision=decision, actor_id=role, actor_name=role, actor_roles=(role,)))


def test_a_running_case_keeps_its_version_when_a_new_one_is_published():
    clock = FixedClock(datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc))
    v1_only = SopLibrary.from_directory()
    old_case = open_case(Intake(v1_only, clock, POPO), routing := Routing(v1_only, clock, POPO))
    clock.advance(timedelta(minutes=5))

    both = library_with_v2()  # the new version is deployed; the old case is still open at step 2
    routing.library = both
    step(routing, old_case, 2, "registered", "petugas_tu")
    step(routing, old_case, 4, "to_sub_koordinator", "kabid")  # version 1 rules: the Kabid decides
    assert routing.get_case(old_case).sop_version == 1

    fresh = Routing(both, clock, POPO)
    intake = Intake(both, clock, POPO)
    case_id = open_case(intake, fresh)
    assert fresh.get_case(case_id).sop_version == 2
    step(fresh, case_id, 2, "registered", "petugas_tu")
    step(fresh, case_id, 4, "to_sub_koordinator", "sekretaris")  # version 2 rules
    assert fresh.get_case(case_id).current_step == 5
