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
