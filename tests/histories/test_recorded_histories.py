"""Every recorded history, replayed through today's code, must read as it did when it was recorded: the
register, audit trails, inboxes and feed, the SLA figures, the capaian kinerja report, the buku register,
every document's bytes and each store's chain head. A change that would alter the past fails here; README, "Recorded
histories", says when re-recording (`make record-histories`) is the right answer and when it is not."""
from __future__ import annotations

import copy
import json
import uuid

import pytest

from shared.settings import Settings
from tests.histories.compare import differences
from tests.histories.fixture_files import RECORDED
from tests.histories.replay import replay
from tests.places import drop_schemas

HISTORIES = sorted(p.name for p in RECORDED.iterdir() if (p / "expected.json").exists())


def expected_of(name: str) -> dict:
    return json.loads((RECORDED / name / "expected.json").read_text(encoding="utf-8"))


def test_there_are_histories_to_replay():
    assert "full-run" in HISTORIES


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """Each history replayed once on SQLite (rendering every document is most of the time), on demand."""
    done: dict[str, dict] = {}

    def of(name: str) -> dict:
        if name not in done:
            work = tmp_path_factory.mktemp(name)
            done[name] = replay(RECORDED / name, Settings(persistence="sqlite", data_dir=work), work)
        return done[name]

    return of


@pytest.mark.parametrize("name", HISTORIES)
def test_a_recorded_history_replays_as_recorded(name, replayed):
    assert differences(expected_of(name), replayed(name)) == []


@pytest.mark.integration
def test_the_full_run_replays_as_recorded_from_postgresql(tmp_path):
    """The same events loaded into PostgreSQL stores and folded into read models there (own schemas,
    dropped after) read the same; the documents are rebuilt from PostgreSQL and their fields' digests
    checked, but not rendered again (the bytes are the SQLite run's business: same fields, same renderer)."""
    settings = Settings(persistence="postgres", postgres_schema_prefix=f"test_{uuid.uuid4().hex[:10]}",
                        data_dir=tmp_path)
    try:
        replayed = replay(RECORDED / "full-run", settings, tmp_path, render=False)
    finally:
        drop_schemas(settings.postgres_schema_prefix)
    assert not list(tmp_path.rglob("*.db")), "a read model was kept in SQLite"
    expected = expected_of("full-run")
    assert replayed["documents"] == {key: "reproducible" for key in expected["documents"]}
    assert differences(expected | {"documents": replayed["documents"]}, replayed) == []


def test_a_changed_past_is_caught(replayed):
    """The comparison is not vacuous: one audit row, one document digest and one report figure moved are named."""
    expected, replayed = expected_of("full-run"), copy.deepcopy(replayed("full-run"))
    replayed["register_and_audit"]["audit"][0][12] = "a note the past never had"
    key = next(iter(replayed["documents"]))
    replayed["documents"][key] = "0" * 64
    replayed["capaian_kinerja"]["report"]["totals"][0]["count"] += 1
    found = differences(expected, replayed)
    assert any(line.startswith("register_and_audit.audit: replay only") for line in found)
    assert f"document {key}: recorded {expected['documents'][key]}, now {'0' * 64}" in found
    assert any(line.startswith("capaian kinerja .totals[0].count") for line in found)


def test_code_that_reads_the_past_differently_fails_the_replay(tmp_path, monkeypatch):
    """A fold and a document builder changed in code, as a refactoring might: both are named."""
    from services.documents.builders import BUILDERS
    from services.intake.views import store

    real_row, real_builder = store.audit_row, BUILDERS["buku_tamu"]
    monkeypatch.setattr(store, "audit_row", lambda m: real_row(m) | {"note": (m.note or "").upper() or None})
    monkeypatch.setitem(BUILDERS, "buku_tamu", lambda view: real_builder(view) | {"purpose": "changed since"})
    found = differences(expected_of("v1-shapes"), replay(  # a builder's change shows before any rendering
        RECORDED / "v1-shapes", Settings(persistence="sqlite", data_dir=tmp_path), tmp_path, render=False))
    assert any(line.startswith("register_and_audit.audit: recorded only") for line in found)
    assert any("/buku_tamu/1: recorded" in line and "not reproducible" in line for line in found)
