"""The events that cross service boundaries, one model per type: what every producer builds and every
consumer reads. The envelope (`EventMessage`) is the same for all; `type` says which fact it is and
fixes the shape of `data`. The published JSON Schemas and the AsyncAPI messages are generated from
these classes (shared/schemas.py), and a test validates every message on the streams after the demo.

A consumer parses with `parse_event` and branches with `isinstance`; a type it does not know (a newer
producer) still parses, as the plain envelope, so it can be skipped rather than parked.
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, TypeAdapter, ValidationError

from shared.contracts import EventMessage
from shared.event_data import (
    SubmittedData, ErasedData, OpenedData, StepData, ClosedData, PausedData, ResumedData, ExtendedData, AlertData, EscalationData, CalendarData, IssuedData, NumberedData, RenderedData,
)


class RequestSubmitted(EventMessage):
    """Step 1: a guest book entry or incoming letter was submitted and given a register number."""

    type: Literal["RequestSubmitted"] = "RequestSubmitted"
    data: SubmittedData


class PersonalDataErased(EventMessage):
    """The applicant's personal data was erased (UU 27/2022): its key is deleted, so every sealed field of the case reads as "[dihapus]"; the events stay. `data` says on what basis and why; `actor` is the operator."""

    type: Literal["PersonalDataErased"] = "PersonalDataErased"
    data: ErasedData


class CaseOpened(EventMessage):
    """Routing opened a case on the SOP version the request was submitted under."""

    type: Literal["CaseOpened"] = "CaseOpened"
    data: OpenedData


class StepCompleted(EventMessage):
    """A step was completed by `actor` (in `actor.role`) with `decision` and `note`; `next_step` is null when the case closes."""

    type: Literal["StepCompleted"] = "StepCompleted"
    data: StepData


class CaseClosed(EventMessage):
    """The case ended; `data.outcome` says how (completed, not_this_division, incomplete, refused)."""

    type: Literal["CaseClosed"] = "CaseClosed"
    data: ClosedData


class CasePaused(EventMessage):
    """The case's clocks stopped (e.g. waiting for the applicant); `note` and `data.reason` say why."""

    type: Literal["CasePaused"] = "CasePaused"
    data: PausedData


class CaseResumed(EventMessage):
    """The case's clocks run again; `data.note`."""

    type: Literal["CaseResumed"] = "CaseResumed"
    data: ResumedData


class DeadlineExtended(EventMessage):
    """The statutory deadline was extended once, by `data.extra_working_days` under `data.basis`."""

    type: Literal["DeadlineExtended"] = "DeadlineExtended"
    data: ExtendedData


class StepAtRisk(EventMessage):
    """A step has used the at-risk share (default 75 %) of its standard working time; `occurred_at` is the crossing instant."""

    type: Literal["StepAtRisk"] = "StepAtRisk"
    data: AlertData


class StepBreached(EventMessage):
    """A step passed its standard working time while still open."""

    type: Literal["StepBreached"] = "StepBreached"
    data: AlertData


class EscalationRaised(EventMessage):
    """A breached step was escalated to the role above (an inbox item there)."""

    type: Literal["EscalationRaised"] = "EscalationRaised"
    data: EscalationData


class CalendarChanged(EventMessage):
    """The working-time calendar changed (e.g. a holiday decreed late); SLA figures were recomputed. Belongs to no case: case_id and sop_id are empty."""

    type: Literal["CalendarChanged"] = "CalendarChanged"
    data: CalendarData


class DocumentIssued(EventMessage):
    """A revision of a step's output document was issued; issued only when the document's fields change. `source_event_id` is the routing fact it was made from. Its PDF is rendered when first fetched (DocumentRendered)."""

    type: Literal["DocumentIssued"] = "DocumentIssued"
    data: IssuedData


class DocumentRendered(EventMessage):
    """A document revision was rendered to PDF (when first fetched) and stored; `data.sha256` is what verification by hash or upload finds."""

    type: Literal["DocumentRendered"] = "DocumentRendered"
    data: RenderedData


class LetterNumbered(EventMessage):
    """The reply letter got its number when it was signed (per year, gap-free)."""

    type: Literal["LetterNumbered"] = "LetterNumbered"
    data: NumberedData


EVENT_TYPES: tuple[type[EventMessage], ...] = (
    RequestSubmitted, CaseOpened, StepCompleted, CaseClosed, CasePaused, CaseResumed, DeadlineExtended,
    StepAtRisk, StepBreached, EscalationRaised, CalendarChanged, DocumentIssued, DocumentRendered,
    LetterNumbered, PersonalDataErased,
)
# Which service's stream carries which types.
PUBLISHED_BY: dict[str, tuple[type[EventMessage], ...]] = {
    "intake": (RequestSubmitted, PersonalDataErased),
    "routing": (CaseOpened, StepCompleted, CaseClosed, CasePaused, CaseResumed, DeadlineExtended),
    "documents": (DocumentIssued, DocumentRendered, LetterNumbered),
    "sla": (StepAtRisk, StepBreached, EscalationRaised, CalendarChanged),
}
BY_TYPE = {t.model_fields["type"].default: t for t in EVENT_TYPES}
CaseHeld = CasePaused | CaseResumed | DeadlineExtended
Event = Annotated[Union[EVENT_TYPES], Field(discriminator="type")]  # type: ignore[valid-type]
EVENT = TypeAdapter(Event)


def typed(message: EventMessage) -> EventMessage:
    """The message as its own type: checked against its model (a plain envelope of an unknown type stays)."""
    model = BY_TYPE.get(message.type)
    if model is None or isinstance(message, model):
        return message
    return model.model_validate(message.model_dump(by_alias=True))


def parse_event(payload: str | bytes) -> EventMessage:
    """A message's JSON as its type's model; of a type this code does not know, the plain envelope."""
    try:
        return EVENT.validate_json(payload)
    except ValidationError as exc:
        if any(e["type"] == "union_tag_invalid" for e in exc.errors()):
            return EventMessage.model_validate_json(payload)
        raise


def from_wire(fields: dict[bytes | str, bytes | str]) -> EventMessage:
    """A stream entry's fields (what `EventMessage.to_wire` wrote) as its type's model."""
    payload = fields.get(b"payload", fields.get("payload"))
    if payload is None:
        raise ValueError("stream entry has no 'payload' field")
    return parse_event(payload)
