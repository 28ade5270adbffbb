"""The SLA service's use cases: check open steps against the clock, record calendar changes.

Its own event store holds what it decided (alerts per case, the calendar history); the relay
publishes them on sop.sla.events, where intake's audit trail and inbox pick them up and this
service's read model reads them back (at_risk_at / breached_at), so a replay reproduces them.
"""
from __future__ import annotations

from datetime import datetime
from itertools import groupby
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from shared.working_calendar import WorkingCalendar
from services.sla.domain import CALENDAR_HISTORY_ID, CalendarHistory, CaseAlerts, alerts_id
from services.sla.monitor import Crossing, crossings, may_have_crossed
from services.sla.projection import SlaStore
from services.sla.sla_settings import SlaSettings
from services.sla.visits import Visit


class Sla(Application[UUID]):
    name = "sla"

    def __init__(self, store: SlaStore, settings: SlaSettings | None = None, env: dict[str, str] | None = None):
        super().__init__(env)
        self.store, self.settings = store, settings or SlaSettings()

    def tick(self, now: datetime) -> int:
        """Records what every open visit has crossed by `now`, once per visit and kind; returns how
        many alert events (at risk, breached, escalation) this call stored."""
        stored, fraction = 0, self.settings.at_risk_fraction
        # One visit at a time: most open visits have crossed nothing yet, and are not kept.
        candidates = [v for v in self.store.each_visit(open_only=True) if may_have_crossed(v, now, fraction)]
        for case_id, group in groupby(candidates, key=lambda v: v.case_id):
            visits = list(group)
            pauses = self.store.pauses(case_id)
            due = [(v, c) for v in visits for c in crossings(v, pauses, self.store.calendar, now, fraction)
                   if not self._known(v, c)]
            if due:
                stored += self._raise(visits[0], due, now)
        return stored

    @staticmethod
    def _known(visit: Visit, crossing: Crossing) -> bool:
        # The read model's marks save a load; the aggregate below is what makes alerts once-only.
        return (visit.at_risk_at if crossing.kind == "at_risk" else visit.breached_at) is not None

    def _raise(self, first: Visit, due: list[tuple[Visit, Crossing]], now: datetime) -> int:
        try:
            alerts: CaseAlerts = self.repository.get(alerts_id(first.case_id))
        except AggregateNotFoundError:
            alerts = CaseAlerts(case_id=first.case_id, sop_id=first.sop_id, sop_version=first.sop_version)
        raised = 0
        for visit, crossing in due:  # at risk before breached: the order they happened in
            if crossing.kind == "at_risk":
                raised += alerts.at_risk(visit, at=crossing.at, used_fraction=crossing.used_fraction, detected_at=now)
            else:
                raised += alerts.breached(visit, at=crossing.at, to_role=self.settings.above(visit.role),
                                          detected_at=now)
        if not raised:
            return 0
        try:
            self.save(alerts)
        except IntegrityError:
            return 0  # another SLA process recorded this case's alerts first; they are the ones published
        return raised

    def record_calendar(self, calendar: WorkingCalendar, now: datetime) -> bool:
        """Records CalendarChanged when `calendar` differs from the last one recorded, then derives every
        figure of the read model again with it. True when a change was recorded."""
        try:
            history: CalendarHistory = self.repository.get(CALENDAR_HISTORY_ID)
        except AggregateNotFoundError:
            history = CalendarHistory()
        changed = history.record(calendar, now)
        if changed:
            try:
                self.save(history)
            except IntegrityError:
                changed = False  # another SLA process recorded the same change a moment ago
        if calendar.digest() != self.store.calendar.digest():
            self.store.recompute(calendar)
        return changed
