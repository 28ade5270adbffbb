"""`?as_of=`, typed and bounded in every service alike: an aware ISO-8601 instant, normalised to UTC, not in
the future; everything else a 422 in the one error shape."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.http.as_of import AsOf, check_as_of
from shared.http.errors import ApiError, install_error_handling

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    install_error_handling(app)

    @app.get("/read")
    def read(as_of: AsOf = None) -> dict:
        return {"as_of": check_as_of(as_of, NOW) if as_of else None}

    return TestClient(app)


@pytest.mark.parametrize("given, utc", [
    ("2026-03-02T10:15:00+07:00", "2026-03-02T03:15:00+00:00"),
    ("2026-03-02T03:15:00Z", "2026-03-02T03:15:00+00:00"),
    ("2026-03-02T10:15:00.250000+07:00", "2026-03-02T03:15:00.250000+00:00"),
])
def test_an_instant_with_its_offset_is_read_in_utc(client, given, utc):
    read = datetime.fromisoformat(client.get("/read", params={"as_of": given}).json()["as_of"])
    assert read == datetime.fromisoformat(utc) and read.utcoffset() == timedelta(0)


@pytest.mark.parametrize("given", ["2026-03-02T10:15:00", "1764666000", "2026-03-02", "yesterday", "x" * 100,
                                   "2026-02-30T10:00:00Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_anything_but_an_aware_instant_the_services_can_count_in_is_refused(client, given):
    answer = client.get("/read", params={"as_of": given})
    assert answer.status_code == 422 and answer.json()["error"] == "invalid" and answer.json()["reason"]


def test_an_instant_in_the_future_is_refused_with_its_own_code(client):
    answer = client.get("/read", params={"as_of": (NOW + timedelta(seconds=1)).isoformat()})
    assert answer.status_code == 422 and answer.json()["error"] == "as_of_in_future"
    assert check_as_of(NOW, NOW) == NOW  # now itself is the past's last instant
    with pytest.raises(ApiError):
        check_as_of(NOW + timedelta(microseconds=1), NOW)
