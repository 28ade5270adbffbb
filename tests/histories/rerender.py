"""Every document revision of a history rendered again from its log, as audit replay renders them, in a pool
of its own made with the fixtures' DEMO signing key (the key the recorded letters were signed with)."""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from services.documents.issuing import NotReproducible
from services.documents.renderer import RenderPool

SIGNING = Path(__file__).parent / "signing"


def signing_env() -> dict[str, str]:
    return {"SOP_SIGNING_PKCS12_FILE": str(SIGNING / "demo-signer.p12"), "SOP_SIGNING_PKCS12_PASSPHRASE": "DEMO",
            "SOP_SIGNING_TRUST_ROOTS": str(SIGNING / "demo-root-ca.pem")}


def rerendered(documents: Any, render: bool = True) -> dict[str, str]:
    """{"case/kind/revision": sha256} of every revision issued, rendered again from the log with the DEMO key."""
    from services.documents.replay import issued_revisions

    found, jobs, files = {}, {}, {}
    for c, kind, revision in issued_revisions(documents):
        case_file = files.get(c) or files.setdefault(c, documents.case_file(c))
        try:
            jobs[f"{c}/{kind}/{revision}"] = documents.issuer.rerender(case_file, kind, revision)
        except NotReproducible as exc:  # the template's version or the facts' fields changed since
            found[f"{c}/{kind}/{revision}"] = f"not reproducible: {exc}"
    if not render:
        return dict(sorted(found.items()) + [(key, "reproducible") for key in jobs])
    with signing_settings():
        pool = RenderPool()
        try:
            found |= {key: hashlib.sha256(pdf).hexdigest() for key, pdf in zip(jobs, pool.render_all(list(jobs.values())))}
        finally:
            asyncio.run(pool.shutdown())
    return dict(sorted(found.items()))


@contextlib.contextmanager
def signing_settings() -> Iterator[None]:
    """The render workers take the SOP_* settings of the moment their pool is made: the fixtures' key."""
    before = {k: os.environ.get(k) for k in signing_env()}
    os.environ.update(signing_env())
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
