"""Rate limits as a portal meets them: the headers on every answer, 429 with Retry-After in the one error
shape, the public routes per address and strictest, a credential's bucket its own, guessed keys per address."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from services.intake.rate_limits import Buckets, Rule

PORTAL = {"Authorization": "Bearer demo-portal"}
STAFF = {"Authorization": "Bearer demo-tu"}


@pytest.fixture
def api(monkeypatch, tmp_path):
    for name, value in {"PER_S": "1", "BURST": "5", "PUBLIC_PER_MIN": "6", "PUBLIC_BURST": "3",
                        "ANONYMOUS_PER_MIN": "6", "ANONYMOUS_BURST": "4"}.items():
        monkeypatch.setenv(f"SOP_RATE_LIMIT_{name}", value)
    from services.intake.bootstrap import bootstrap
    from shared.settings import Settings

    _, app = bootstrap(Settings(persistence="memory", data_dir=tmp_path))
    return TestClient(app)  # no lifespan: these routes need no bus


def test_every_answer_says_where_the_caller_stands_and_the_bucket_refuses_with_429(api):
    first = api.get("/sops", headers=PORTAL)
    assert first.status_code == 200
    assert first.headers["RateLimit-Limit"] == first.headers["X-RateLimit-Limit"] == "5"
    assert first.headers["RateLimit-Remaining"] == "4"
    answers = [api.get("/sops", headers=PORTAL) for _ in range(5)]
    assert [a.status_code for a in answers[:4]] == [200] * 4
    refused = answers[4]
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited" and "retry after" in refused.json()["reason"]
    assert int(refused.headers["Retry-After"]) >= 1 and refused.headers["RateLimit-Remaining"] == "0"
    assert api.get("/sops", headers=STAFF).status_code == 200, "another credential has its own bucket"


def test_the_public_status_page_is_limited_per_address_and_strictest(api):
    statuses = [api.get("/track/0001/REG/BAPPEDA/2026", params={"code": "AAAA-BBBB"}).status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert api.get("/verify", params={"number": "x"}).status_code == 429, "verification shares the public bucket"
    assert api.get("/sops", headers=PORTAL).status_code == 200


def test_guessed_keys_share_their_address_bucket(api):
    statuses = [api.get("/sops", headers={"Authorization": f"Bearer guess-{n}"}).status_code for n in range(5)]
    assert statuses == [401, 401, 401, 401, 429]


def test_a_bucket_refills_at_its_rate_up_to_its_burst():
    now = [0.0]
    buckets, rule = Buckets(clock=lambda: now[0]), Rule(rate_per_s=2, burst=3)
    assert [buckets.take("k", rule)[0] for _ in range(4)] == [True, True, True, False]
    assert buckets.take("k", rule)[2] == pytest.approx(0.5)
    now[0] += 0.5
    assert buckets.take("k", rule)[0] is True
    now[0] += 100
    assert buckets.take("k", rule)[1] == 2, "never more than the burst"
