"""The whole system as a new user runs it: four service processes on the real Redis."""
from __future__ import annotations

import httpx
import pytest

from tests.support import private_system


@pytest.fixture(scope="session")
def system(tmp_path_factory):
    with private_system("test-e2e", tmp_path_factory.mktemp("data")) as running:
        yield running


@pytest.fixture
def api(system):
    with httpx.Client(base_url=system.url("intake"), timeout=15) as client:
        yield client


SECOND_PORTAL = {"key": "demo-portal-2", "id": "portal-desa", "name": "Portal Desa (test)", "roles": ["pemohon"]}


@pytest.fixture(scope="module")
def two_portals(tmp_path_factory):
    """The system with the demo credentials and a second portal: whose cases may each one read?"""
    import yaml

    from services.intake.auth import DEMO_CREDENTIALS

    data = tmp_path_factory.mktemp("two-portals")
    credentials = yaml.safe_load(DEMO_CREDENTIALS.read_text(encoding="utf-8"))
    credentials["credentials"].append(SECOND_PORTAL)
    (data / "credentials.yaml").write_text(yaml.safe_dump(credentials), encoding="utf-8")
    with private_system("test-contract", data, SOP_CREDENTIALS_FILE=str(data / "credentials.yaml")) as running:
        yield running


@pytest.fixture
def contract_api(two_portals):
    with httpx.Client(base_url=two_portals.url("intake"), timeout=15) as client:
        yield client
