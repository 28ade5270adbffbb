"""Wires routing: its event store, the SOP library, the clock, the bus."""
from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from fastapi import FastAPI
from faststream.redis import RedisBroker

from services.routing.application import Routing
from services.routing.handlers import handle_command
from services.routing.messages import message_mapper
from shared.clock import Clock, SystemClock
from shared.contracts import CaseCommand, CommandResult, StepCommand, case_command_stream, command_stream
from shared.eventstore import store_env
from shared.history import published
from shared.http.as_of import case_events_router
from shared.http.service_app import service_app
from shared.messaging.commands import claim_after_ms, command_subscribers
from shared.runtime import Runtime, one_at_a_time
from shared.settings import Settings
from shared.sop.loader import DEFAULT_DIR, SopLibrary


@dataclass
class RoutingService:
    app: Routing
    runtime: Runtime
    broker: RedisBroker
    http: FastAPI


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> RoutingService:
    settings = settings or Settings()
    library = SopLibrary.from_directory(settings.sop_dir or DEFAULT_DIR)
    clock = clock or SystemClock()
    routing = Routing(library, clock, env=store_env(settings, "routing"))
    runtime = Runtime("routing", settings)
    to_message = message_mapper(library)
    runtime.add_relay(routing, to_message)
    runtime.follow(["intake"], "routing", one_at_a_time(routing.handle_message), routing.recorder.max_tracking_id)
    broker = runtime.broker

    def answer(command: StepCommand | CaseCommand) -> CommandResult:
        result = handle_command(routing, command)
        runtime.wake_relays()  # publish the new events now, not at the next poll
        return result

    async def on_step_command(command: StepCommand) -> CommandResult:
        return answer(command)

    async def on_case_command(command: CaseCommand) -> CommandResult:
        return answer(command)

    # A command a dead routing process left pending is applied late, once (routing deduplicates on the
    # command id): the gateway told its caller the step "may still be completed".
    claim_after = claim_after_ms(settings.command_timeout_s)
    for stream, handle in ((command_stream(settings.stream_prefix), on_step_command),
                           (case_command_stream(settings.stream_prefix), on_case_command)):
        command_subscribers(broker, stream, "routing", runtime.consumer_name, handle, claim_after)

    http = service_app(runtime, "SOP routing service")
    # The case as routing's own log holds it, for reads `as_of` an instant (the gateway folds these).
    http.include_router(case_events_router(
        "routing", lambda case_id: [m for _, m in published(routing, UUID(case_id), to_message)], clock.now))
    return RoutingService(routing, runtime, broker, http)
