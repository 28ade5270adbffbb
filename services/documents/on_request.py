"""A revision's PDF on first request: rendered in the pool, stored, and recorded with its SHA-256.

Issuing renders nothing (issuing.py). The first GET of a revision rebuilds its fields from the facts
it was made from, checks them against the digest recorded at issue, renders them in a worker process
while the event loop serves others, stores the bytes (content-addressed), and then records
`DocumentRendered` and the SHA-256 index in one transaction: a recorded digest always has its bytes.

Rendering is deterministic, so requests racing to render one revision (here or in another documents
process) make the same bytes: here they share one rendering; across processes, the one that records
second finds the first's record, checks it is the same, and serves it.
"""
from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Any

from eventsourcing.persistence import IntegrityError

from services.documents import queries
from services.documents.application import Documents
from services.documents.index import DocumentDigest
from services.documents.issuing import NotReproducible


class Renderings:
    def __init__(self, app: Documents, attempts: int = 10):
        self.app, self.attempts = app, attempts
        self.running: dict[tuple[str, str, int], asyncio.Task[None]] = {}

    async def pdf(self, case_id: str, kind: str, revision: int | None = None) -> tuple[bytes, dict[str, Any]]:
        """The bytes of a revision (the latest by default), rendered first if no one asked for them before."""
        case_file = self.app.case_file(case_id)
        found = case_file and (case_file.revision(kind, revision) if revision else case_file.latest(kind))
        if not found:
            raise LookupError(f"case {case_id} has no {kind} document" + (f" revision {revision}" if revision else ""))
        if found["sha256"] is None:
            await self.render(case_id, kind, found["revision"])
        # That revision, not "the latest" again: a newer one may have been issued while this one rendered.
        return queries.document_pdf(self.app, case_id, kind, found["revision"])

    async def render(self, case_id: str, kind: str, revision: int) -> None:
        key = (case_id, kind, revision)
        if key not in self.running:
            self.running[key] = asyncio.ensure_future(self._render(*key))
            self.running[key].add_done_callback(lambda _: self.running.pop(key, None))
        # Shielded: a client that hangs up must not cancel a rendering others are waiting for.
        await asyncio.shield(self.running[key])

    async def _render(self, case_id: str, kind: str, revision: int) -> None:
        issuer = self.app.issuer
        job = issuer.rerender(self.app.case_file(case_id), kind, revision)
        started = time.perf_counter()
        pdf = await issuer.pool.render(job)
        if issuer.observe:
            issuer.observe(kind, time.perf_counter() - started)
        sha256 = hashlib.sha256(pdf).hexdigest()
        issuer.blobs.put(pdf, f"{kind}-{revision}.pdf", "application/pdf")
        for _ in range(self.attempts):
            # Read again: the consumer may have filed facts, or another process this rendering, meanwhile.
            case_file = self.app.case_file_to_change(case_id)
            recorded = case_file.revision(kind, revision)
            if recorded["sha256"] is not None:
                if recorded["sha256"] != sha256:
                    raise NotReproducible(f"{kind} revision {revision} of case {case_id} rendered as {sha256}, "
                                          f"but was recorded as {recorded['sha256']}")
                return
            case_file.rendered(kind, revision, sha256, len(pdf))
            try:
                self.app.save(case_file, DocumentDigest(sha256=sha256, case_id=case_id, kind=kind, revision=revision))
                return
            except IntegrityError:
                self.app.forget(case_file.id)  # the cached file holds the unsaved change: read it again
                continue
            except Exception:
                self.app.forget(case_file.id)
                raise
        raise RuntimeError(f"could not record the rendering of {kind} revision {revision}: too much contention")
