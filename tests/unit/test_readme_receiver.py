"""The receiver's snippet in the README, run as a portal's developer would paste it: it accepts what the
webhook sender signs and refuses a wrong secret, an altered body and an old timestamp."""
from __future__ import annotations

import re
import time
from pathlib import Path

from services.intake.webhooks.signing import signature

README = Path(__file__).parents[2] / "README.md"


def readme_receiver():
    block = next(b for b in re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
                 if "def verified" in b)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    return namespace["verified"]


def test_the_readme_receiver_verifies_what_the_sender_signs():
    verified, body, now = readme_receiver(), b'{"id":"x","type":"CaseClosed"}', int(time.time())
    assert verified("the-secret", signature("the-secret", now, body), body)
    assert not verified("another-secret", signature("the-secret", now, body), body)
    assert not verified("the-secret", signature("the-secret", now, body), body.replace(b"x", b"y"))
    assert not verified("the-secret", signature("the-secret", now - 3600, body), body)
