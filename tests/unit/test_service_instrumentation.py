"""shared/http/instrumentation.py: the build a service reports, read from the environment or the checkout."""
from __future__ import annotations

from pathlib import Path

import httpx

from services.sla.bootstrap import bootstrap
from shared.http.instrumentation import commit, head_commit
from shared.settings import Settings

SHA = "0123456789abcdef0123456789abcdef01234567"


def test_the_commit_comes_from_the_environment_first(monkeypatch, tmp_path):
    monkeypatch.setenv("SOP_GIT_COMMIT", "abc123")
    assert commit(tmp_path) == "abc123"
    monkeypatch.delenv("SOP_GIT_COMMIT")
    assert commit(tmp_path) == "unknown"  # neither variable nor checkout


def test_the_commit_is_read_from_a_checkout_a_worktree_and_packed_refs(tmp_path):
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text(SHA + "\n")
    assert head_commit(git) == SHA
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text(f"# pack-refs with: peeled\n{SHA} refs/heads/main\n")
    assert head_commit(git) == SHA
    tree = git / "worktrees" / "wt"
    tree.mkdir(parents=True)
    (tree / "HEAD").write_text("ref: refs/heads/main\n")
    (tree / "commondir").write_text("../..\n")
    checkout: Path = tmp_path / "wt" / ".git"
    checkout.parent.mkdir()
    checkout.write_text(f"gitdir: {tree}\n")
    assert head_commit(checkout) == SHA


async def test_a_service_reports_requests_per_route_its_process_and_its_build():
    service = bootstrap(Settings(persistence="memory"))
    transport = httpx.ASGITransport(app=service.http)  # no lifespan: nothing touches Redis
    async with httpx.AsyncClient(transport=transport, base_url="http://sla") as client:
        await client.get("/cases/00000000-0000-4000-8000-000000000000/sla")
        text = (await client.get("/metrics")).text
    assert 'http_requests_total{handler="/cases/{case_id}/sla",method="GET",status="4xx"} 1.0' in text
    assert 'http_request_duration_seconds_count{handler="/cases/{case_id}/sla",method="GET"} 1.0' in text
    assert 'sop_build_info{commit="' in text and 'service="sla",version="0.1.0"' in text
    assert "process_cpu_seconds_total" in text
