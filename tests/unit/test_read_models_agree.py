"""The same events folded on SQLite and on PostgreSQL give the same rows, value for value and in the same
order: what lets `sop replay` compare a live read model in PostgreSQL with a rebuild in a SQLite file."""
from __future__ import annotations

from services.intake.views.paging import CaseFilter, audit_page, register_page
from services.intake.views.store import ViewStore
from shared.working_calendar import WorkingCalendar
from services.sla.projection import SlaStore
from tests.places import new_place, on
from tests.unit.test_projection_folds import a_case
from tests.unit.test_sla_projection import LIBRARY, RoutingLog, local, sop_c_to_step_6


def both(build) -> tuple[object, object]:
    """`build(place)` on SQLite, then on PostgreSQL; what each answered."""
    with on("sqlite"):
        on_sqlite = build(new_place())
    with on("postgres"):
        on_postgres = build(new_place())
    return on_sqlite, on_postgres


def test_intakes_views_read_the_same_on_both():
    cases = [a_case(7 + n, 100 + 20 * n) for n in range(3)]

    def fold(place) -> dict:
        views = ViewStore(place)
        assert views.apply_batch([m for _, ms in cases for m in ms]) == {}
        page = register_page(views.db, CaseFilter(), 2, None)
        return {"snapshot": views.snapshot(), "page": page, "audit": audit_page(views.db, cases[0][0], 3, None),
                "inbox": views.inbox(["pemohon", "petugas_tu"]), "heads": views.heads()}

    on_sqlite, on_postgres = both(fold)
    assert on_sqlite == on_postgres
    assert len(on_sqlite["snapshot"]["register"]) == 3 and len(on_sqlite["snapshot"]["feed"]) > 20


def test_the_sla_figures_read_the_same_on_both():
    _, messages = sop_c_to_step_6()
    paused = RoutingLog("sop-a")
    messages += paused.open() + [paused.pause(local("11:00")), paused.resume(local("14:00"))]

    def fold(place) -> dict:
        sla = SlaStore(place, LIBRARY, WorkingCalendar())
        assert sla.apply_batch(messages) == {}
        return {"snapshot": sla.snapshot(), "visits": sla.visits(), "clocks": sla.open_case_clocks()}

    on_sqlite, on_postgres = both(fold)
    assert on_sqlite == on_postgres
    assert any(v.on_time for v in on_sqlite["visits"]) and on_sqlite["clocks"]
