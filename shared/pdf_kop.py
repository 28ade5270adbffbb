"""Pieces of the kop surat every PDF of the agency prints (documents' letters, SLA's monitoring form)."""
from __future__ import annotations

from reportlab.platypus import Flowable


class DoubleRule(Flowable):
    """The kop surat's rule: a thick line over a thin one."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, 4.5

    def draw(self) -> None:
        self.canv.setLineWidth(2.2)
        self.canv.line(0, 3.4, self.width, 3.4)
        self.canv.setLineWidth(0.7)
        self.canv.line(0, 0.6, self.width, 0.6)
