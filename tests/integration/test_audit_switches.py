"""The two audit switches do what they say, on SQLite and PostgreSQL: SOP_EVENT_CHAIN=false stores events with
the library's own recorders (no chain rows, `sop verify` says the chain is off and never intact), and
SOP_PII_ENCRYPTION=false keeps the applicant's data in clear in the events (no key made), so an erasure is
refused with its reason, while what was sealed before still opens and can still be erased."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from services.intake.application import Intake
from services.intake.case_files import CaseFiles
from services.intake.erasure import erase
from shared.chain.stores import open_store, pages
from shared.eventstore import store_env
from shared.pii.envelope import ERASED, is_sealed
from shared.pii.keystore import open_keystore
from shared.roles import Actor
from shared.sop.machine import Refused
from system.cli import app
from tests.case_log import LIBRARY
from tests.integration.chain_support import fill
from tests.integration.test_cli_verify import env_of

pytestmark = pytest.mark.integration
AT = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
OPERATOR = Actor(id="ops-1", name="Operator", roles=("operator",))
PORTAL = Actor(id="portal", name="Portal Layanan", roles=("pemohon",))
FORM = {"subject": "Konsultasi Renja", "applicant": {"name": "Budi Santoso", "institution": "Dinas PU",
                                                     "phone": "0812345678"}, "details": ""}


def off(settings, **switches):
    return settings.model_copy(update=switches)


def stored_states(settings, service: str = "intake") -> list[bytes]:
    store = open_store(settings, service)
    try:
        return [row.state for row in pages(store.events)]
    finally:
        store.close()


def verify_cli(settings, *args: str):
    return CliRunner().invoke(app, ["verify", *args], env=env_of(settings) | {
        "SOP_EVENT_CHAIN": "true" if settings.event_chain else "false"})


def test_chain_off_writes_no_chain_rows_and_verify_says_so(store_settings):
    settings = off(store_settings, event_chain=False)
    assert "APPLICATION_RECORDER_TOPIC" not in store_env(settings, "intake")
    fill(settings, notes=3)
    store = open_store(settings, "intake")
    assert not store.chained() and len(store.events(0, 100)) == 6  # stored, and no chain table at all
    store.close()
    shown = verify_cli(settings)
    assert shown.exit_code == 1, shown.output
    assert "chain off" in shown.stdout and "SOP_EVENT_CHAIN=false" in shown.stdout and "intact" not in shown.stdout
    found = json.loads(verify_cli(settings, "--json").stdout)
    assert found["intact"] is False and found["chain"] == "off" and found["services"]["intake"]["chained"] is False


def test_a_chain_switched_off_later_shows_where_the_links_stop(store_settings):
    fill(store_settings, notes=2)  # positions 1-4 linked
    settings = off(store_settings, event_chain=False)
    fill(settings, notes=1)  # positions 5-6 stored without links
    found = json.loads(verify_cli(settings, "--json").stdout)
    intake = found["services"]["intake"]
    assert found["intact"] is False and found["chain"] == "off"
    assert intake["count"] == 4 and intake["broken"]["kind"] == "inserted" and intake["broken"]["position"] == 5
    assert verify_cli(store_settings).exit_code == 1  # on again: the unlinked stretch stays unlinked


def test_encryption_off_keeps_the_data_in_clear_and_refuses_its_erasure(store_settings):
    settings = off(store_settings, pii_encryption=False)
    keys = open_keystore(settings)
    intake = Intake(LIBRARY, env=store_env(settings, "intake"), keys=keys, seal=settings.pii_encryption)
    request = intake.submit("sop-b", FORM, PORTAL)
    assert request.form == FORM and not is_sealed(request.form["applicant"]["name"])
    assert any(b"Budi Santoso" in state for state in stored_states(settings))  # in the event as stored
    assert keys.key(str(request.id)) is None and keys.erased_at(str(request.id)) is None  # no key made
    with pytest.raises(Refused) as refused:
        erase(intake, str(request.id), "UU 27/2022", "atas permintaan", OPERATOR)
    assert refused.value.code == "pii_encryption_off" and "clear text" in refused.value.reason
    assert intake.request(str(request.id)).erasure is None  # nothing recorded as if it were erased


def test_what_was_sealed_before_still_opens_and_erases_with_encryption_off(store_settings):
    keys = open_keystore(store_settings)
    sealed = Intake(LIBRARY, env=store_env(store_settings, "intake"), keys=keys).submit("sop-b", FORM, PORTAL)
    assert is_sealed(sealed.form["applicant"]["name"])
    later = Intake(LIBRARY, env=store_env(store_settings, "intake"), keys=open_keystore(store_settings), seal=False)
    assert later.revealer.reveal(later.request(str(sealed.id)).form) == FORM
    assert erase(later, str(sealed.id), "UU 27/2022", "atas permintaan", OPERATOR)["case_id"] == str(sealed.id)
    assert later.revealer.reveal(later.request(str(sealed.id)).form)["applicant"]["name"] == ERASED


def test_uploads_with_encryption_off_are_kept_in_clear(store_settings, tmp_path):
    keys = open_keystore(store_settings)
    files, content = CaseFiles(tmp_path / "blobs", keys, seal=False), b"nama\nBudi Santoso\n"
    keys.create("case-1", AT)  # sealed while it was on: new files are not, once it is off
    meta = files.put("case-1", content, "data-Budi.csv", "text/csv")
    assert (tmp_path / "blobs" / "cases" / "case-1" / meta["sha256"][:2] / meta["sha256"]).read_bytes() == content
    assert files.attachment("case-1", meta["sha256"])["name"] == "data-Budi.csv"
    keys.erase("case-1", AT)
    with pytest.raises(LookupError):  # an erased subject still takes nothing more
        files.put("case-1", content, "again.csv", "text/csv")


def test_the_erasure_route_answers_409_with_the_reason(tmp_path):
    from services.intake.bootstrap import bootstrap
    from shared.settings import Settings

    svc, api = bootstrap(Settings(persistence="memory", data_dir=tmp_path, pii_encryption=False))
    request = svc.intake.submit("sop-b", FORM, PORTAL)
    answer = TestClient(api).post(f"/data-subjects/{request.id}/erasure", headers={"Authorization": "Bearer demo-operator"},
                                  json={"legal_basis": "UU 27/2022 pasal 8", "reason": "Permintaan pemohon"})
    assert answer.status_code == 409, answer.text
    assert answer.json()["error"] == "pii_encryption_off" and "SOP_PII_ENCRYPTION=false" in answer.json()["reason"]
