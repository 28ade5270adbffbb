"""The SLA service's aggregates and settings: alerts once per visit, a calendar that survives in its record."""
from __future__ import annotations

import datetime as dt
import pytest
from pydantic import ValidationError

from shared.calendar_settings import CalendarSettings, build_calendar
from services.sla.domain import CALENDAR_HISTORY_ID, CalendarHistory, CaseAlerts, alerts_id, calendar_from
from services.sla.sla_settings import SlaSettings
from services.sla.visits import Visit
from tests.unit.test_sla_projection import local

VISIT = Visit(case_id="c-1", sop_id="sop-c", sop_version=1, step=7, role="sub_koordinator", visit=42,
              started_at=local("08:00"), standard="1 jam", standard_seconds=3600.0, due_at=local("09:00"),
              completed_at=None, working_seconds=None, on_time=None, at_risk_at=None, breached_at=None)


def test_a_case_gets_each_alert_once_per_visit_and_a_redone_step_again():
    alerts = CaseAlerts(case_id="c-1", sop_id="sop-c", sop_version=1)
    assert alerts.id == alerts_id("c-1")
    assert alerts.at_risk(VISIT, at=local("08:45"), used_fraction=0.75, detected_at=local("08:46")) == 1
    assert alerts.at_risk(VISIT, at=local("08:45"), used_fraction=0.75, detected_at=local("08:47")) == 0
    assert alerts.breached(VISIT, at=local("09:00"), to_role="kabid", detected_at=local("09:01")) == 2
    assert alerts.breached(VISIT, at=local("09:00"), to_role="kabid", detected_at=local("09:02")) == 0
    again = Visit(**{**VISIT.__dict__, "visit": 57})  # SOP C: step 7 visited a second time
    assert alerts.breached(again, at=local("10:00"), to_role=None, detected_at=local("10:00")) == 1
    kinds = [type(e).__name__ for e in alerts.collect_events()]
    assert kinds == ["Started", "StepAtRisk", "StepBreached", "EscalationRaised", "StepBreached"]


def test_ids_are_derived_from_the_case_so_every_process_finds_the_same_aggregate():
    assert alerts_id("c-1") == alerts_id("c-1") != alerts_id("c-2")
    assert alerts_id("c-1").version == 5  # uuid5: a name, not a random number
    assert CalendarHistory().id == CALENDAR_HISTORY_ID


def test_the_calendar_recorded_is_the_calendar_used():
    calendar = build_calendar(CalendarSettings(), dt.date(2026, 3, 1))  # holidays, cuti bersama, Ramadan 2026
    history = CalendarHistory()
    assert history.record(calendar, local("08:00")) is True
    assert history.record(calendar, local("09:00")) is False
    rebuilt = calendar_from(history.content)
    assert rebuilt.digest() == calendar.digest() and rebuilt.closed == calendar.closed
    assert rebuilt.ramadan and rebuilt.ramadan == calendar.ramadan


def test_the_escalation_map_takes_none_and_refuses_unknown_roles():
    assert SlaSettings().above("sub_koordinator") == "kabid"
    assert SlaSettings().above("kepala_badan") is None
    assert SlaSettings(escalation={"kabid": "none"}).above("kabid") is None
    with pytest.raises(ValidationError, match="unknown roles in the escalation map: bupati"):
        SlaSettings(escalation={"kepala_badan": "bupati"})
    with pytest.raises(ValidationError):
        SlaSettings(tick_seconds=90)  # an alert must be out within 60 s of its instant
