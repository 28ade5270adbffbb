"""Each service's stored events as its relay publishes them, read from the service's own store.

`sop replay` rebuilds the read models from here rather than from the Redis streams: the services trim
their streams once every reader has applied them (shared/messaging/trimming.py), and the stores hold
every event from the first. The same mapping the relay applies (each service's `to_message`, the
notification id as the position) makes the same messages, so a rebuilt read model equals the live one.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from shared.contracts import EventMessage
from shared.eventstore import store_env
from shared.settings import Settings
from shared.sop.loader import SopLibrary

PAGE = 2000


def service_app(service: str, settings: Settings, library: SopLibrary) -> Application[Any]:
    """The service's own application on the stores of `settings`: its recorder (process or application,
    chained) and its mapper, the ones that wrote the events."""
    env = store_env(settings, service)
    if service == "intake":
        from services.intake.application import Intake
        return Intake(library, env=env)
    if service == "routing":
        from services.routing.application import Routing
        return Routing(library, env=env)
    if service == "documents":
        from services.documents.application import Documents
        from services.documents.bootstrap import issuer
        return Documents(issuer(settings, library), env=env)
    from services.sla.application import Sla
    from services.sla.projection import SlaStore
    return Sla(SlaStore(":memory:", library), env=env)


def relay_mapper(service: str, library: SopLibrary):
    """The service's `to_message`, and the stored event classes it maps (the rest it maps to None)."""
    if service == "intake":
        from services.intake.messages import PUBLISHED, to_message
        return to_message, PUBLISHED
    if service == "routing":
        from services.routing.messages import PUBLISHED, message_mapper
        return message_mapper(library), PUBLISHED
    if service == "documents":
        from services.documents.messages import PUBLISHED, to_message
        return to_message, PUBLISHED
    from services.sla.messages import PUBLISHED, to_message
    return to_message, PUBLISHED


def published(service: str, app: Application[Any], library: SopLibrary, page: int = PAGE) -> Iterator[list[EventMessage]]:
    """The service's stored events as its relay publishes them, a page of the log at a time. Only the classes
    the relay maps are read (by their topics, in the store's query): most of documents' log is bookkeeping."""
    to_message, kinds = relay_mapper(service, library)
    topics, start = [get_topic(k) for k in kinds], 1
    while notifications := app.recorder.select_notifications(start=start, limit=page, topics=topics):
        yield [m for n in notifications if (m := to_message(app.mapper.to_domain_event(n), n.id)) is not None]
        start = notifications[-1].id + 1


class StoreSource:
    """An EventSource (shared/replay.py) on the services' own stores."""

    def __init__(self, settings: Settings, library: SopLibrary):
        self.settings, self.library = settings, library
        self.apps: dict[str, Application[Any]] = {}

    def app(self, service: str) -> Application[Any]:
        if service not in self.apps:
            self.apps[service] = service_app(service, self.settings, self.library)
        return self.apps[service]

    async def total(self, service: str) -> int:
        return int(self.app(service).recorder.max_notification_id() or 0)

    async def chunks(self, service: str) -> AsyncIterator[list[EventMessage]]:
        for chunk in published(service, self.app(service), self.library):
            if chunk:
                yield chunk

    def close(self) -> None:
        for app in self.apps.values():
            app.close()
        self.apps.clear()
