"""The kop surat (letterhead) and signature captions: shared/letterhead.py, which the SLA report prints too."""
from __future__ import annotations

from shared.letterhead import LetterheadSettings

__all__ = ["LetterheadSettings"]
