"""A rebuild reads only the stored events of the classes a service's relay publishes, by their topics
(system/stored_messages.py): each service's PUBLISHED must name every class its `to_message` maps, and an
event stored under an older topic (a renamed class) would be missed, so the recorded histories are read
both ways."""
from __future__ import annotations

import pytest
from eventsourcing.utils import resolve_topic

from shared.chain.stores import SERVICES
from shared.settings import Settings
from shared.sop.loader import SopLibrary
from system.stored_messages import published as stored_pages
from system.stored_messages import relay_mapper
from tests.histories.fixture_files import RECORDED, load_events


@pytest.mark.parametrize("history", ["full-run", "v1-shapes"])
def test_the_stores_give_exactly_what_the_relay_publishes(history, tmp_path):
    library = SopLibrary.from_directory()
    apps = load_events(RECORDED / history, Settings(persistence="sqlite", data_dir=tmp_path), library)
    try:
        for service in SERVICES:
            to_message, kinds = relay_mapper(service, library)
            app, published = apps[service], 0
            for n in app.recorder.select_notifications(start=1, limit=1_000_000):
                mapped = to_message(app.mapper.to_domain_event(n), n.id)
                if issubclass(resolve_topic(n.topic), kinds):
                    published += 1
                else:
                    assert mapped is None, f"{service}: {n.topic} is published but not in PUBLISHED"
            assert published, f"{service}: the history publishes nothing"
            every = [m for n in app.recorder.select_notifications(start=1, limit=1_000_000)
                     if (m := to_message(app.mapper.to_domain_event(n), n.id)) is not None]
            assert [m for page in stored_pages(service, app, library, page=7) for m in page] == every
    finally:
        for app in apps.values():
            app.close()
