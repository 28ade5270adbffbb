"""The SLA service's HTTP contract: a UUID case id, a real period, one error shape, declared answers.

The answers' models live in shared/http/sla_api.py (for the gateway); the read model's dataclasses
stay the SLA service's, so their fields are checked to be the same here.
"""
from __future__ import annotations

import uuid
from dataclasses import fields

import pytest

from services.sla.bootstrap import bootstrap
from shared.working_calendar import WorkingCalendar
from services.sla.clocks import CaseClock
from services.sla.visits import Visit
from shared.clock import FixedClock
from shared.http.sla_api import CaseClockView, StepVisitView
from shared.settings import Settings
from tests.unit.error_shape import GARBAGE_IDS, UNROUTED, asgi_client, refused
from tests.unit.test_sla_projection import RoutingLog, local
from tests.unit.test_sla_projection_holds import sop_c_at_step_5

PERIOD = {"from": "2026-01-01", "to": "2026-06-30"}


@pytest.fixture(scope="module")
def service():
    found, log = bootstrap(Settings(persistence="memory"), calendar=WorkingCalendar(),
                           clock=FixedClock(local("08:00"))), RoutingLog("sop-c")
    for message in sop_c_at_step_5(log):
        found.store.apply(message)
    return found, log.case_id


@pytest.fixture
async def http(service):
    async with asgi_client(service[0].http, "sla") as client:
        yield client, service[1]


@pytest.mark.parametrize("case_id", GARBAGE_IDS)
async def test_a_garbage_case_id_is_refused(http, case_id):
    body = refused(await http[0].get(f"/cases/{case_id}/sla"))
    assert case_id in UNROUTED or body["fields"][0]["field"] == "path.case_id"


async def test_a_case_is_answered_by_its_model_and_an_unknown_one_is_404(http):
    client, case_id = http
    found = (await client.get(f"/cases/{case_id}/sla")).json()
    assert set(found) == {"case_id", "clock", "visits"} and found["case_id"] == case_id
    assert set(found["clock"]) == set(CaseClockView.model_fields) and len(found["visits"]) == 5
    refused(await client.get(f"/cases/{uuid.uuid4()}/sla"), 404, "case_not_found")


@pytest.mark.parametrize("params, error", [
    ({"from": "2026-06-30", "to": "2026-01-01"}, "invalid_period"),
    ({"from": "30-06-2026", "to": "2026-07-01"}, "invalid"),
    (PERIOD | {"format": "docx"}, "invalid"),
    (PERIOD | {"table": "rekap"}, "invalid"),
    (PERIOD | {"target": "-0.5"}, "invalid"),
])
async def test_the_report_refuses_a_bad_period_format_target_or_table(http, params, error):
    refused(await http[0].get("/reports/capaian-kinerja", params=params), 422, error)


async def test_the_report_answers_json_by_its_model(http):
    report = (await http[0].get("/reports/capaian-kinerja", params=PERIOD | {"target": "1"})).json()
    assert report["on_time_target"] == 1.0 and {"rows", "totals", "monitoring"} <= set(report)


def test_the_shared_models_mirror_the_read_models_dataclasses():
    assert list(CaseClockView.model_fields) == [f.name for f in fields(CaseClock)]
    assert list(StepVisitView.model_fields) == [f.name for f in fields(Visit)]


def test_both_routes_declare_their_answers_and_errors(service):
    paths = service[0].http.openapi()["paths"]
    case, report = paths["/cases/{case_id}/sla"]["get"], paths["/reports/capaian-kinerja"]["get"]
    assert "CaseSla" in str(case["responses"]["200"]) and {"404", "422"} <= set(case["responses"])
    assert case["parameters"][0]["schema"]["format"] == "uuid"
    content = report["responses"]["200"]["content"]
    assert "Report" in str(content["application/json"]) and {"text/csv; charset=utf-8", "image/png",
                                                               "application/pdf"} <= set(content)
    assert "ErrorBody" in str(report["responses"]["422"])
    schemas = {p["name"]: p["schema"] for p in report["parameters"]}
    assert schemas["format"]["enum"] == ["json", "csv", "png", "pdf"] and schemas["from"]["format"] == "date"
    assert schemas["table"]["enum"] == ["langkah", "monitoring"]
    assert (schemas["target"]["exclusiveMinimum"], schemas["target"]["maximum"]) == (0, 1)
