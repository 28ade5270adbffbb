"""Pieces of the kop surat every PDF of the agency prints (documents' letters, SLA's monitoring form)."""
from __future__ import annotations

import math
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image

EMBLEM_SIZE = 22 * mm


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


class PlaceholderEmblem(Flowable):
    """A PLACEHOLDER for the lambang daerah, drawn as vectors (a shield, a star, a rice-and-cotton ring):
    where the kop puts the regional government's emblem until the real image is configured."""

    def __init__(self, size: float = EMBLEM_SIZE):
        super().__init__()
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size * 0.82, self.size

    def draw(self) -> None:
        c, w, h = self.canv, self.size * 0.82, self.size
        c.saveState()
        shield = c.beginPath()
        shield.moveTo(0, h)
        shield.lineTo(w, h)
        shield.lineTo(w, h * 0.42)
        shield.curveTo(w, h * 0.15, w * 0.6, h * 0.05, w / 2, 0)
        shield.curveTo(w * 0.4, h * 0.05, 0, h * 0.15, 0, h * 0.42)
        shield.close()
        c.setFillColor(colors.HexColor("#1f5f3f"))
        c.setStrokeColor(colors.HexColor("#c9a227"))
        c.setLineWidth(1.6)
        c.drawPath(shield, fill=1, stroke=1)
        c.setFillColor(colors.HexColor("#c9a227"))
        star, r = c.beginPath(), w * 0.2
        for i in range(10):
            radius = r if i % 2 == 0 else r * 0.4
            angle = math.pi / 2 + i * math.pi / 5
            point = (w / 2 + radius * math.cos(angle), h * 0.66 + radius * math.sin(angle))
            star.moveTo(*point) if i == 0 else star.lineTo(*point)
        star.close()
        c.drawPath(star, fill=1, stroke=0)
        c.setStrokeColor(colors.HexColor("#c9a227"))
        c.setLineWidth(1.1)
        c.arc(w * 0.22, h * 0.14, w * 0.78, h * 0.52, 200, 140)
        c.restoreState()


def emblem(logo: str = "", size: float = EMBLEM_SIZE) -> Flowable:
    """The lambang daerah from its image file when configured, else the drawn placeholder."""
    if logo and Path(logo).is_file():
        return Image(logo, width=size * 0.82, height=size, kind="proportional")
    return PlaceholderEmblem(size)
