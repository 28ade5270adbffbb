"""Documents keeps answering while it renders (issue 10, finding 5: its /health once timed out on 38 of
46 probes and reads took up to 21 s): rendering runs in a process pool, never on the event loop."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from system.demo import auth, run_scenario, scenarios
from system.demo_documents import settled_documents
from tests.support import private_system

pytestmark = pytest.mark.integration
CASES = 6
CLERK = auth("petugas_tu")
SIGNED_IN_FULL = scenarios()[7]
SOP_C_KINDS = {"surat_masuk", "surat_permintaan_data", "disposisi_surat", "konsep_surat_jawaban",
               "hasil_pengolahan_data", "surat_jawaban"}


def timed_get(client: httpx.Client, url: str, **kwargs) -> tuple[float, int]:
    started = time.monotonic()
    status = client.get(url, **kwargs).status_code
    return time.monotonic() - started, status


def test_health_and_reads_answer_within_a_second_while_every_revision_renders(tmp_path):
    with private_system("test-docs-busy", tmp_path) as system, \
            httpx.Client(base_url=system.url("intake"), timeout=30) as api:
        case_ids = [run_scenario(api, SIGNED_IN_FULL, 800 + n) for n in range(CASES)]
        listed = {c: settled_documents(api, c, SOP_C_KINDS, signed=True) for c in case_ids}
        docs = system.url("documents")
        pdfs = [f"{docs}/cases/{c}/documents/{d['kind']}.pdf?revision={r['revision']}"
                for c, documents in listed.items() for d in documents for r in d["revisions"]]
        rendering = threading.Event()
        rendering.set()

        def render_everything() -> list[int]:
            with httpx.Client(timeout=120) as client, ThreadPoolExecutor(8) as pool:
                try:
                    return list(pool.map(lambda url: client.get(url).status_code, pdfs))
                finally:
                    rendering.clear()

        probes: list[tuple[str, float, int]] = []
        with ThreadPoolExecutor(1) as background, httpx.Client(timeout=10) as probe:
            rendered = background.submit(render_everything)
            while rendering.is_set():
                probes.append(("live",) + timed_get(probe, f"{docs}/health/live"))
                probes.append(("list",) + timed_get(probe, f"{system.url('intake')}/cases/{case_ids[0]}/documents",
                                                    headers=CLERK))
                time.sleep(0.05)
            statuses = rendered.result()
        assert statuses == [200] * len(pdfs) and len(pdfs) >= CASES * 10
        assert len(probes) >= 20, "rendering ended before the probes could see it"  # probed throughout
        slow = [(what, round(took, 2)) for what, took, _ in probes if took > 1.0]
        assert slow == [] and {status for _, _, status in probes} == {200}, slow
