"""Builders as they were when an earlier template version was in force, keyed by (kind, version).

A revision's data digest is fixed when it is issued; rendering it again (its first fetch after an
upgrade, audit replay) must rebuild the very same fields from the same facts. So a builder whose fields
change keeps its old body here, beside the old template kept in rendering/templates/past/. A template
version that changed only the layout needs no entry: the builder in force serves it.

Bumping a builder's fields: copy the template to past/<kind>.v<N>.yaml, copy the builder here as
(kind, N), then bump the template's version and change the builder.
"""
from __future__ import annotations

from typing import Any, Callable

from services.documents.view import CaseView

PAST_BUILDERS: dict[tuple[str, int], Callable[[CaseView], dict[str, Any] | None]] = {}
