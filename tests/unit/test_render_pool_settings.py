"""A render pool's workers sign with the settings of the moment the pool is made, not the fork server's."""
from __future__ import annotations

import os

from services.documents.renderer import process_pool


def sop_signing_setting() -> str | None:
    return os.environ.get("SOP_SIGNING_PKCS12_FILE")


def test_workers_take_the_settings_set_after_the_fork_server_started(monkeypatch):
    monkeypatch.delenv("SOP_SIGNING_PKCS12_FILE", raising=False)
    first = process_pool(1)  # starts the fork server (if this process had none) without the setting
    assert first.submit(sop_signing_setting).result(60) is None
    first.shutdown()
    monkeypatch.setenv("SOP_SIGNING_PKCS12_FILE", "/keys/agency.p12")
    second = process_pool(1)
    assert second.submit(sop_signing_setting).result(60) == "/keys/agency.p12"
    second.shutdown()
