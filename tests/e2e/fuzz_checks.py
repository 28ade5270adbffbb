"""Schemathesis hooks for test_fuzz_api.py (loaded by the `st run` subprocess through SCHEMATHESIS_HOOKS).

`key_required` holds every protected operation to a 401 without a key, whatever schemathesis's own
`ignored_auth` makes of the declared bearer scheme. POST /verify takes a PDF: sent as raw bytes.
"""
from __future__ import annotations

import schemathesis

schemathesis.serializer.alias("application/pdf", "application/octet-stream")

# The README: "Every call but /health and /metrics needs Authorization", and verifying a document is public.
PUBLIC_OPERATIONS = frozenset({
    "GET /health", "GET /health/live", "GET /health/ready", "GET /metrics", "GET /verify", "POST /verify", "GET /verify/{case_id}/{kind}/{revision}",
    "GET /track/{register_number}",
})


@schemathesis.check
def key_required(ctx, response, case) -> None:
    """A protected operation must not succeed for a request that carries no Authorization header."""
    if "authorization" in {name.lower() for name in response.request.headers}:
        return
    label = f"{case.operation.method.upper()} {case.operation.path}"
    if label not in PUBLIC_OPERATIONS and 200 <= response.status_code < 300:
        raise AssertionError(f"{label} answered {response.status_code} to a request without a key")
