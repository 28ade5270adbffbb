"""A portal integrating without polling, against the four service processes: webhooks to a real receiver on
loopback get every event of the demo once deduplicated, through injected 500s and timeouts; the change feed
read from any cursor is the rest of the same feed; a long poll answers when the next event comes; the public
status page opens with the tracking code a submission answered, and no other code."""
from __future__ import annotations

import threading
import time

import httpx
import pytest

from system.demo import auth, run_scenario, scenarios, submission, wait_until
from tests.support import private_system
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.integration
SECRET = "whsec-loopback-receiver-of-the-e2e-portal"


@pytest.fixture(scope="module")
def receivers():
    with Receiver(SECRET, stall_s=1.5, fail_every=4, stall_every=4) as everything, \
            Receiver(SECRET, fail_every=3) as own:
        yield everything, own


@pytest.fixture(scope="module")
def portal_system(tmp_path_factory, receivers):
    fast = {"SOP_WEBHOOK_ALLOW_PRIVATE": "1", "SOP_WEBHOOK_BACKOFF_BASE_S": "0.1", "SOP_WEBHOOK_BACKOFF_MAX_S": "0.5",
            "SOP_WEBHOOK_TIMEOUT_S": "0.7", "SOP_WEBHOOK_POLL_S": "0.1"}
    with private_system("test-portal", tmp_path_factory.mktemp("portal"), **fast) as running:
        yield running


@pytest.fixture
def api(portal_system):
    with httpx.Client(base_url=portal_system.url("intake"), timeout=40) as client:
        yield client


def whole_feed(api: httpx.Client, role: str, limit: int = 500, after: int = 0) -> list[dict]:
    found = []
    while True:
        page = api.get("/events", params={"after": after, "limit": limit}, headers=auth(role)).json()
        found += page["items"]
        if not page["items"]:
            return found
        after = page["next"]


def settled(receiver: Receiver, api: httpx.Client, role: str, timeout_s: float = 90) -> list[dict]:
    """The feed once everything in it reached the receiver, and nothing new came for a second."""
    deadline, last = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        feed = whole_feed(api, role)
        got = {b["event"]["event_id"] for b in receiver.accepted.values()}
        if got == {e["event_id"] for e in feed} and last == len(feed):
            return feed
        last = len(feed)
        time.sleep(1)
    raise TimeoutError(f"{len(receiver.accepted)} delivered of {len(feed)} events")


def test_every_event_of_the_demo_reaches_the_receivers_once_deduplicated(api, receivers):
    everything, own = receivers
    for role, receiver in (("sekretaris", everything), ("pemohon", own)):
        r = api.post("/webhooks", json={"url": receiver.url, "secret": SECRET}, headers=auth(role))
        assert r.status_code == 201, r.text
    for n, scenario in enumerate(scenarios()):
        run_scenario(api, scenario, 500 + n)
    for role, receiver in (("sekretaris", everything), ("pemohon", own)):
        feed = settled(receiver, api, role)
        by_event = {}
        for delivery, body in receiver.accepted.items():
            assert body["event"] == next(e for e in feed if e["event_id"] == body["event"]["event_id"])
            by_event.setdefault(body["event"]["event_id"], set()).add(delivery)
        assert all(len(ids) == 1 for ids in by_event.values()), "one delivery id per event: retries reuse it"
        assert {e["type"] for e in feed} >= {"RequestSubmitted", "CaseOpened", "StepCompleted", "CaseClosed"}
        assert receiver.forged == 0
    assert {s for _, s in everything.attempts} == {200, 500, 0}, "500s and timeouts were injected, and retried"
    hooks = api.get("/webhooks", headers=auth("sekretaris")).json()
    assert len(hooks) == 1 and hooks[0]["deliveries"]["dead"] == 0 and "secret" not in hooks[0]
    page = api.get(f"/webhooks/{hooks[0]['id']}/deliveries", params={"limit": 500}, headers=auth("sekretaris")).json()
    retried = [d for d in page["items"] if d["attempts"] > 1]
    assert retried and all(d["last_attempts"][-1]["status"] in (500, None) for d in retried)


def test_the_feed_read_from_any_cursor_is_the_rest_of_the_feed(api):
    everything = whole_feed(api, "sekretaris", limit=500)
    assert [e["seq"] for e in everything] == sorted({e["seq"] for e in everything})
    assert whole_feed(api, "sekretaris", limit=7) == everything
    for e in everything[:: max(1, len(everything) // 15)]:
        assert whole_feed(api, "sekretaris", limit=50, after=e["seq"]) == [x for x in everything if x["seq"] > e["seq"]]
    own = whole_feed(api, "pemohon")
    assert own and {e["case_id"] for e in own} <= {e["case_id"] for e in everything}
    assert api.get("/events", headers={"Authorization": "Bearer demo-operator"}).status_code == 403


def test_a_long_poll_answers_when_the_next_event_comes(api):
    end = whole_feed(api, "pemohon")[-1]["seq"]
    answer = {}

    def poll() -> None:
        started = time.monotonic()
        r = api.get("/events", params={"after": end, "wait": 20}, headers=auth("pemohon"))
        answer.update(r.json() | {"took": time.monotonic() - started})
    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.5)
    submitted = api.post("/requests", json=submission("sop-b", 900), headers=auth("pemohon")).json()
    poller.join(25)
    assert answer["items"][0]["case_id"] == submitted["case_id"] and answer["took"] < 10


def test_the_status_page_opens_with_the_tracking_code_and_no_other(api):
    submitted = api.post("/requests", json=submission("sop-c", 901), headers=auth("pemohon")).json()
    wait_until(api, submitted["case_id"], lambda c: c["current_step"] == 2)
    number, code = submitted["register_number"], submitted["tracking_code"]
    shown = api.get(f"/track/{number}", params={"code": code.lower()})
    assert shown.status_code == 200, shown.text
    status = shown.json()
    assert status["step"] == 2 and status["status_text"] == "Sedang diproses" and status["next"].startswith("Petugas")
    assert status["statutory_basis"] and status["statutory_due_at"], "SOP C runs the UU 14/2008 clock"
    assert "Pemohon 901" not in shown.text and "pemohon@example" not in shown.text
    page = api.get(f"/track/{number}", params={"code": code}, headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html") and "Status permohonan" in page.text
    wrong = api.get(f"/track/{number}", params={"code": "ZZZZ-ZZZZ"})
    unknown = api.get("/track/9999/REG/BAPPEDA/2026", params={"code": code})
    assert wrong.status_code == unknown.status_code == 404 and wrong.json() == unknown.json()


def test_webhooks_to_loopback_or_private_addresses_are_refused(system):
    with httpx.Client(base_url=system.url("intake"), timeout=15) as api:
        for url in ("http://example.com/hook", "https://127.0.0.1/hook", "https://10.1.2.3/hook",
                    "https://169.254.169.254/latest", "https://[::1]/hook", "https://localhost:8443/hook",
                    "https://user:pw@example.com/hook"):
            r = api.post("/webhooks", json={"url": url, "secret": SECRET}, headers=auth("pemohon"))
            assert r.status_code == 422 and r.json()["error"] in ("webhook_url_refused", "invalid"), (url, r.text)
        assert api.get("/webhooks", headers=auth("pemohon")).json() == []
