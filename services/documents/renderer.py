"""PDF rendering off the event loop: a pool of processes, one per core, started when first needed.

reportlab is pure Python and holds the GIL for the ~30 ms of a document, so a thread would still
stall the consumers and routes that share the event loop; renders run in other processes. Workers
are forked from a fork server that has already imported the renderer (fonts registered), never from
this process: forking a process that has threads and open connections is unsafe, and spawning
would import reportlab again in every worker.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import datetime
from typing import Any, Callable, Iterator, NamedTuple

from services.documents.rendering import LetterheadSettings, render
from services.documents.signing import SIGNING_REASONS, sign_letter, to_sign
from services.documents.signing_keys import load_signer, resolved


class RenderJob(NamedTuple):
    """Everything that fixes a revision's bytes, as recorded when it was issued; picklable, for a worker."""
    kind: str
    data: dict[str, Any]
    letterhead: dict[str, str]
    verify_url: str
    issued_at: datetime | None = None  # the producing event's time: the PDF's CreationDate and ModDate
    template_version: int | None = None  # the template's version at issue (None: the one in force)


def render_revision(kind: str, data: dict[str, Any], letterhead: dict[str, str], verify_url: str,
                    issued_at: datetime | None = None, template_version: int | None = None) -> bytes:
    """In a worker: one revision's PDF. Given fields win over SOP_LETTERHEAD_* in the worker's environment,
    so the letterhead is the one in force at issue, whatever the settings say today."""
    pdf = render(kind, data, LetterheadSettings(**letterhead), verify_url, issued_at, template_version).pdf
    # A signed letter gets its PAdES signature here, at the signing event's time (signing.py): the same
    # bytes on every rendering, so its first rendering and replay agree. The key: SOP_SIGNING_* settings.
    signature, signer = to_sign(kind, data), load_signer(resolved())
    if not (signature and signer):
        return pdf
    return sign_letter(pdf, signature, signer, letterhead.get("city", "Ketapang"), SIGNING_REASONS[kind])


def process_pool(workers: int) -> Executor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    # Workers inherit the environment of the fork server, which lives as long as this process and
    # may have started before the settings were set (a replay, a test): hand them today's SOP_* (the
    # signing key, the data dir where the demo key lies).
    ours = {k: v for k, v in os.environ.items() if k.startswith("SOP_")}
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_use_settings, initargs=(ours,))


def _use_settings(ours: dict[str, str]) -> None:
    for name in [k for k in os.environ if k.startswith("SOP_")]:
        del os.environ[name]
    os.environ.update(ours)


class RenderPool:
    """One executor for a process's renders, made on first use and shut down with the service."""

    def __init__(self, workers: int | None = None, make: Callable[[int], Executor] = process_pool):
        self.workers = workers or os.cpu_count() or 1
        self.make = make
        self._executor: Executor | None = None

    def executor(self) -> Executor:
        if self._executor is None:
            self._executor = self.make(self.workers)
        return self._executor

    async def render(self, job: RenderJob) -> bytes:
        """The PDF, rendered in a worker: the event loop goes on with other work meanwhile."""
        # Submitted from a thread: the first submit starts the fork server (about a second of imports)
        # and a submit may start a worker, and the event loop must not wait for either.
        future = await asyncio.to_thread(self.executor().submit, render_revision, *job)
        return await asyncio.wrap_future(future)

    def render_all(self, jobs: list[RenderJob]) -> Iterator[bytes]:
        """Every job's PDF in the order given, spread over the workers in chunks (fewer round trips)."""
        if not jobs:
            return iter(())
        chunksize = max(1, len(jobs) // (4 * self.workers))
        return self.executor().map(render_revision, *zip(*jobs), chunksize=chunksize)

    async def shutdown(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, True, cancel_futures=True)


SHARED = RenderPool()  # every Documents app of a process renders here: one worker per core in all
