"""docs/ holds the schemas other-language consumers read; they must match the code."""
from shared.events import from_wire
from shared.schemas import DOCS, render, schemas


def test_published_json_schemas_match_the_models():
    for name, schema in schemas().items():
        assert (DOCS / name).read_text(encoding="utf-8") == render(schema), f"regenerate with python -m shared.schemas: {name}"


def test_the_asyncapi_document_is_generated_from_the_event_models():
    from shared import asyncapi

    assert (DOCS / "asyncapi.yaml").read_text(encoding="utf-8") == asyncapi.render(), \
        "regenerate with python -m shared.schemas"


def test_wire_format_round_trips_and_is_plain_json():
    import json
    from datetime import datetime, timezone

    from shared.events import StepCompleted, StepData
    from shared.roles import ActingAs

    at = datetime(2026, 11, 27, 2, 30, tzinfo=timezone.utc)
    message = StepCompleted(event_id="x", source="routing", position=7, case_id="c", sop_id="sop-c", sop_version=1,
                            step=4, actor=ActingAs(id="k", name="K", role="kabid"), decision="dispositioned",
                            occurred_at=at, recorded_at=at, data=StepData(
                                next_step=5, next_role="sub_koordinator", withheld_parts=[], command_id="c4",
                                draft=None, attachments=[], case_version=5))
    wire = message.to_wire()
    assert set(wire) == {"type", "case_id", "payload"}
    assert json.loads(wire["payload"])["schema"] == "sop.event/v1"
    assert from_wire({k.encode(): v.encode() for k, v in wire.items()}) == message


def test_the_asyncapi_document_parses_and_names_every_published_type():
    import yaml

    doc = yaml.safe_load((DOCS / "asyncapi.yaml").read_text(encoding="utf-8"))
    published = {name for channel in doc["channels"].values() for name in channel.get("messages", {})}
    assert {"RequestSubmitted", "CaseOpened", "StepCompleted", "CaseClosed", "CasePaused", "CaseResumed",
            "DeadlineExtended", "DocumentIssued", "DocumentRendered", "LetterNumbered", "StepAtRisk", "StepBreached",
            "EscalationRaised", "CalendarChanged"} <= published
    assert published <= set(doc["components"]["messages"])
