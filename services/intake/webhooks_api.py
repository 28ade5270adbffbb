"""Webhooks: a portal registers where to be told of its cases' events; each credential sees and removes only
its own endpoints, and reads their deliveries (the dead letters among them) and sends them again."""

from datetime import datetime, timezone
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from services.intake.commands import IdempotencyKey, idempotent
from services.intake.events_api import EventType, FeedAfter
from services.intake.schemas import Strict
from services.intake.webhooks.targets import TargetRefused, checked_addresses, parse_target
from services.intake.wiring import IntakeService
from shared.http.errors import ApiError, responses
from shared.http.pages import Limit
from shared.roles import Actor

WebhookId = Annotated[UUID, Path(description="The id POST /webhooks answered")]
DeliveryState = Literal["pending", "delivered", "dead"]


class RegisterWebhook(Strict):
    url: str = Field(min_length=8, max_length=2000, examples=["https://portal.example.go.id/hooks/sop"],
                     description="https:// on a public address (SOP_WEBHOOK_ALLOW_PRIVATE lets development use more)")
    event_types: list[EventType] | None = Field(None, min_length=1, max_length=20,
                                                description="Only these event types; null: every one")
    secret: str = Field(min_length=24, max_length=200, pattern=r"^[\x21-\x7e]+$",
                        description="Signs every delivery (SOP-Signature); keep it, it is never shown again")


class Webhook(BaseModel):
    id: str
    url: str
    event_types: list[str] | None
    created_at: datetime
    position: int = Field(description="The change feed's cursor up to which deliveries were made")
    deliveries: dict[str, int] = Field(description="Deliveries per state: pending, delivered, dead")


class Attempt(BaseModel):
    n: int
    at: datetime
    status: int | None = Field(description="The receiver's HTTP status; null when none came (timeout, refused)")
    error: str | None
    duration_ms: float


class Delivery(BaseModel):
    id: str = Field(description="The same on every attempt (header SOP-Delivery-Id): what a receiver dedupes on")
    event_id: str
    type: str
    seq: int
    state: DeliveryState
    attempts: int
    last_status: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_attempts: list[Attempt] = Field(description="The last five attempts, newest first")


class DeliveryPage(BaseModel):
    items: list[Delivery]
    next: int | None = Field(description="Pass as ?after= for the next page; null on the last page")


class Redeliver(Strict):
    after: int = Field(ge=0, le=2**53, description="A change feed cursor: deliveries of the events after it")
    only_dead: bool = Field(True, description="false: also what was delivered already, and events never "
                                              "scheduled (before the endpoint existed), from the cursor on")


class Requeued(BaseModel):
    requeued: int


def at(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, timezone.utc)


def build_webhooks_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(tags=["webhooks"])
    Caller = Annotated[Actor, Depends(svc.auth)]
    hooks, portal = svc.webhooks, svc.portal

    def answer(e: dict[str, Any]) -> dict[str, Any]:
        return {k: e[k] for k in ("id", "url", "event_types", "created_at", "position")} | {
            "deliveries": hooks.counts(e["id"])}

    def own(actor: Actor, webhook_id: UUID) -> dict[str, Any]:
        found = hooks.endpoint(actor.id, str(webhook_id))
        if found is None:
            raise ApiError(404, f"no webhook {webhook_id}")
        return found

    @router.post("/webhooks", status_code=201, response_model=Webhook, summary="Register a webhook endpoint",
                 responses=responses(400, 401, 403, 409, 413, 422))
    async def register(body: RegisterWebhook, actor: Caller, idempotency_key: IdempotencyKey = None) -> Any:
        await svc.access.lists(actor, "POST /webhooks")
        try:
            await checked_addresses(parse_target(body.url, portal.webhook_allow_private), portal.webhook_allow_private)
        except TargetRefused as exc:
            raise ApiError(422, f"this URL may not receive webhooks: {exc}", code="webhook_url_refused") from None

        async def run(new_id: UUID) -> tuple[int, Any]:
            if len(hooks.endpoints(actor.id)) >= portal.webhooks_per_credential:
                raise ApiError(409, f"a credential has at most {portal.webhooks_per_credential} webhooks; "
                                    "delete one first", code="too_many_webhooks")
            end = svc.views.db.execute("SELECT COALESCE(MAX(seq), 0) FROM feed").fetchone()[0]
            endpoint = {"id": str(new_id), "owner": actor.id, "url": body.url, "event_types": body.event_types,
                        "secret": body.secret, "created_at": datetime.now(timezone.utc).isoformat(),
                        "position": end, "feed": svc.feed_name}  # from now on: earlier events by redeliver
            hooks.add(endpoint)
            svc.wake_webhooks()
            return 201, Webhook.model_validate(answer(endpoint)).model_dump(mode="json")
        return await idempotent(svc, actor, "POST /webhooks", idempotency_key, body.model_dump(mode="json"), run)

    @router.get("/webhooks", response_model=list[Webhook], summary="The caller's webhook endpoints",
                responses=responses(401))
    async def listed(actor: Caller) -> Any:
        return [answer(e) for e in hooks.endpoints(actor.id)]

    @router.get("/webhooks/{webhook_id}", response_model=Webhook, summary="One of the caller's webhook endpoints",
                responses=responses(401, 404, 422))
    async def one(webhook_id: WebhookId, actor: Caller) -> Any:
        return answer(own(actor, webhook_id))

    @router.delete("/webhooks/{webhook_id}", response_model=Webhook, responses=responses(401, 404, 422),
                   summary="Remove a webhook endpoint and its deliveries; answers it as it was")
    async def delete(webhook_id: WebhookId, actor: Caller) -> Any:
        removed = answer(own(actor, webhook_id))
        hooks.delete(removed["id"])
        return removed

    @router.get("/webhooks/{webhook_id}/deliveries", response_model=DeliveryPage, responses=responses(401, 404, 422),
                summary="An endpoint's deliveries in feed order, with their last attempts; state=dead: its dead letters")
    async def deliveries(webhook_id: WebhookId, actor: Caller, state: DeliveryState | None = None,
                         after: FeedAfter = 0, limit: Limit = 100) -> Any:
        found = hooks.page(own(actor, webhook_id)["id"], state, after, limit)
        items = [d | {"next_attempt_at": at(d["next_attempt_at"]), "delivered_at": at(d["delivered_at"]),
                      "last_attempts": [a | {"at": at(a["at"])} for a in d["last_attempts"]]} for d in found[:limit]]
        return {"items": items, "next": items[-1]["seq"] if len(found) > limit else None}

    @router.post("/webhooks/{webhook_id}/redeliver", response_model=Requeued, responses=responses(400, 401, 404, 422),
                 summary="Send an endpoint's deliveries after a feed cursor again (its dead letters, or everything)")
    async def redeliver(webhook_id: WebhookId, body: Redeliver, actor: Caller) -> Any:
        endpoint = own(actor, webhook_id)
        now = datetime.now(timezone.utc).timestamp()
        states = ("dead",) if body.only_dead else ("dead", "delivered", "pending")
        requeued = hooks.requeue(endpoint["id"], body.after, states, now)
        if not body.only_dead and body.after < endpoint["position"]:
            hooks.rewind(endpoint["id"], body.after, svc.feed_name)  # events never scheduled join in
        svc.wake_webhooks()
        return {"requeued": requeued}

    return router
