"""Two documents service processes on one store and one consumer group, letters signed at once.

Each process takes part of routing's stream; the letter numbers stay gap-free and unique, every
case gets all its documents once, a letter fetched from both processes at once is rendered and
recorded once with the same bytes, and every revision renders again to the bytes on record.
"""
from __future__ import annotations

import asyncio

import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from services.documents.application import Documents
from services.documents.bootstrap import issuer
from services.documents.renderer import RenderPool
from services.documents.replay import rerender_all
from system.demo import auth, run_scenario, scenarios
from system.demo_documents import case_documents
from shared.eventstore import store_env
from shared.settings import Settings
from tests.support import free_port, private_system

pytestmark = pytest.mark.integration
CASES = 12
SIGNED_IN_FULL = scenarios()[7]


def processed_by(url: str) -> float:
    metrics = httpx.get(f"{url}/metrics").text
    found = re.search(r'sop_messages_processed_total\{group="documents",service="documents"\} ([0-9.e+]+)', metrics)
    return float(found.group(1)) if found else 0.0


def test_two_processes_number_every_letter_once_without_gaps(tmp_path, monkeypatch):
    with private_system("test-docs2", tmp_path) as system:
        port = free_port()
        second = subprocess.Popen([sys.executable, "-m", "services.documents.main"],
                                  env=system.env | {"SOP_DOCUMENTS_PORT": str(port)}, stdout=subprocess.DEVNULL)
        try:
            system.processes["documents-2"], system.ports["documents-2"] = second, port
            system.wait_healthy(30, ["documents-2"])
            with ThreadPoolExecutor(6) as pool:
                case_ids = list(pool.map(lambda n: walk(system.url("intake"), n), range(CASES)))
            letters = wait_for_letters(system.url("intake"), case_ids)
            shares = [processed_by(system.url(name)) for name in ("documents", "documents-2")]
            with ThreadPoolExecutor(4) as pool:  # each letter's first download asked of both processes at once
                pdfs = list(pool.map(lambda job: httpx.get(f"{system.url(job[1])}/cases/{job[0]}/documents/"
                                                           "surat_jawaban.pdf", timeout=30).raise_for_status().content,
                                     [(c, name) for c in case_ids for name in ("documents", "documents-2")]))
        finally:
            second.terminate()
            second.wait(10)
        year = datetime.now(ZoneInfo("Asia/Pontianak")).year
        assert sorted(letters.values()) == [f"050/{n:03d}/BAPPEDA/{year}" for n in range(1, CASES + 1)]
        assert all(share > 0 for share in shares), f"one process did all the work: {shares}"
        settings = Settings(persistence="sqlite", data_dir=tmp_path)
        assert all(pdfs[n] == pdfs[n + 1] for n in range(0, len(pdfs), 2))
        # Replay signs the letters again with the key the services used (the settings `prepare` gave them).
        for name in [k for k in system.env if k.startswith("SOP_SIGNING_")]:
            monkeypatch.setenv(name, system.env[name])
        # A pool of its own: the process's shared one may have workers made before these settings.
        fresh = RenderPool()
        try:
            report = rerender_all(Documents(issuer(settings), env=store_env(settings, "documents")), fresh)
        finally:
            asyncio.run(fresh.shutdown())
        assert report.identical and report.revisions == CASES * 16, report.differences[:3]  # 12 (the berita acara signed as received), 4 pertinggal
        assert report.rendered == CASES  # one rendering recorded for each letter, whichever process won


def walk(api_url: str, n: int) -> str:
    with httpx.Client(base_url=api_url, timeout=30) as api:
        return run_scenario(api, SIGNED_IN_FULL, 700 + n)


def wait_for_letters(api_url: str, case_ids: list[str], timeout_s: float = 60) -> dict[str, str]:
    deadline, letters = time.monotonic() + timeout_s, {}
    with httpx.Client(base_url=api_url, timeout=30) as api:
        while time.monotonic() < deadline and len(letters) < len(case_ids):
            for case_id in set(case_ids) - set(letters):
                listed = case_documents(api, case_id, auth("petugas_tu"))
                signed = [d for d in listed if d["kind"] == "surat_jawaban" and d["number"]]
                if signed and len(listed) == 7:  # SOP C's six kinds and the reply's archive copy
                    letters[case_id] = signed[0]["number"]
            time.sleep(0.2)
    assert len(letters) == len(case_ids), f"{len(case_ids) - len(letters)} cases never got a numbered letter"
    return letters
