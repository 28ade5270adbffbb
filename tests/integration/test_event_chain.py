"""The hash chain on SQLite and PostgreSQL: written with the events, checked by the walk of `sop verify`,
which names the first broken link's position and kind after a row is edited, deleted, inserted or moved."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from shared.chain.stores import open_store
from shared.chain.verify import verify
from shared.eventstore import store_env
from tests.integration.chain_support import Intake, Note, delete_row, fill, flip_one_byte, insert_row, swap_rows


def walk(settings):
    store = open_store(settings, "intake")
    try:
        return verify(store)
    finally:
        store.close()


def test_an_untouched_log_is_intact_with_its_head_and_count(store_settings):
    app = fill(store_settings, notes=4)
    verdict = walk(store_settings)
    assert verdict.intact and verdict.count == 8 == app.recorder.max_notification_id()
    assert verdict.head_position == 8 and len(verdict.head_hash) == 64
    fill(store_settings, notes=1)
    later = walk(store_settings)
    assert later.intact and later.count == 10 and later.head_hash != verdict.head_hash


def test_one_byte_edited_is_named_at_its_position(store_settings):
    fill(store_settings, notes=4)
    flip_one_byte(store_settings, 5)
    verdict = walk(store_settings)
    assert (verdict.broken.position, verdict.broken.kind) == (5, "edited")
    assert verdict.count == 4 and verdict.head_position == 4  # what is still proven: the links before it


def test_a_deleted_row_is_named_at_its_position(store_settings):
    fill(store_settings, notes=4)
    delete_row(store_settings, 3)
    assert (walk(store_settings).broken.position, walk(store_settings).broken.kind) == (3, "deleted")


def test_an_inserted_row_is_named_at_its_position(store_settings):
    fill(store_settings, notes=4)
    forged = insert_row(store_settings)
    verdict = walk(store_settings)
    assert forged == 9 and (verdict.broken.position, verdict.broken.kind) == (9, "inserted")
    assert verdict.count == 8


def test_two_rows_swapped_are_named_reordered(store_settings):
    fill(store_settings, notes=4)
    swap_rows(store_settings, 6, 7)
    verdict = walk(store_settings)
    assert (verdict.broken.position, verdict.broken.kind) == (6, "reordered")
    assert "position 7" in verdict.broken.detail


def test_a_store_older_than_the_chain_is_chained_from_its_first_event_on_first_start(store_settings):
    plain = {k: v for k, v in store_env(store_settings, "intake").items() if not k.endswith("RECORDER_TOPIC")}
    fill(store_settings, notes=3, env=plain)
    assert not open_store(store_settings, "intake").chained()
    app = fill(store_settings, notes=1)  # the first start with the chain: the migration, then one more note
    verdict = walk(store_settings)
    assert verdict.intact and verdict.count == 8 == app.recorder.max_notification_id()
    Intake(env=store_env(store_settings, "intake"))  # a second start links nothing twice
    assert walk(store_settings) == verdict


def test_concurrent_writers_never_fork_the_chain(store_settings):
    apps = [Intake(env=store_env(store_settings, "intake")) for _ in range(3)]

    def write(app: Intake) -> None:
        for n in range(15):
            app.save(Note(f"dari {id(app)}: {n}"))

    with ThreadPoolExecutor(len(apps)) as pool:
        list(pool.map(write, apps))
    verdict = walk(store_settings)
    assert verdict.intact and verdict.count == 45
