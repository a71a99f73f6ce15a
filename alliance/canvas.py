"""How big a picture is on a slide, and so how big its type must be drawn, in pixels.

Type on a slide is read in points at the size the picture is shown, not in pixels: a 1920 px wide
chart filling a 13.33-inch slide shows 2 px per point, so 10 px tick labels read as 5 pt from the
back of a room. A `Canvas` is the picture's pixel size plus the width in inches it fills; every
font of a slide figure is asked for in points (`TYPE_PT`) and turned into pixels here. The
dashboard never uses a canvas: its figures keep their screen-sized type.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .labels import text_width

SLIDE_INCHES = {(16, 9): 40 / 3, (4, 3): 10.0}  # the width of a PowerPoint / Keynote slide of that shape (13.33 in)
MIN_PT = {"title": 28, "tick": 14, "lane": 14, "key": 14, "source": 10}  # issue #16 §1: the back of a room
# The sizes slide figures are drawn at (title: the largest; it shrinks towards MIN_PT["title"] when long).
TYPE_PT = {"title": 32, "tick": 14, "key": 14, "axis": 14, "cell": 14, "note": 12, "empty": 20, "source": 11,
           "band": 10, "event": 8}
LINE = 1.3  # line height, in ems, of wrapped titles and source lines (plotly's own line spacing)


@dataclass(frozen=True)
class Canvas:
    """A picture `width` × `height` px shown `inches` wide (a slide's width when it fills the slide)."""

    width: int
    height: int
    inches: float

    @classmethod
    def filling_slide(cls, width: int, height: int) -> Canvas:
        """An export that fills a slide of its own shape (16:9 or 4:3)."""
        shape = min(SLIDE_INCHES, key=lambda wh: abs(wh[0] / wh[1] - width / height))
        return cls(width, height, SLIDE_INCHES[shape])

    @classmethod
    def box(cls, width_in: float, height_in: float, *, dpi: int = 160) -> Canvas:
        """A picture made for a box of a deck slide (inches), drawn at `dpi` pixels per inch."""
        return cls(round(width_in * dpi), round(height_in * dpi), width_in)

    @property
    def px_per_pt(self) -> float:
        return self.width / (self.inches * 72)

    def px(self, role_or_pt: str | float) -> int:
        """Whole pixels for a font role of `TYPE_PT` (or a size in points) on this canvas."""
        points = TYPE_PT[role_or_pt] if isinstance(role_or_pt, str) else role_or_pt
        return math.ceil(points * self.px_per_pt - 1e-6)  # up: a minimum in points is never missed by rounding


def wrap(text: str, font_px: float, width_px: float) -> list[str]:
    """`text` in lines no wider than `width_px` at `font_px` (Arial widths), broken between words.

    A single word wider than the line gets a line of its own (it cannot be broken without losing
    its meaning); every other line fits.
    """
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", font_px) <= width_px:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def fitted_title(text: str, canvas: Canvas, width_px: float, *, most_lines: int = 2) -> tuple[list[str], int]:
    """(lines, font px) of a title: the largest size from `TYPE_PT["title"]` down to `MIN_PT["title"]`
    at which it takes at most `most_lines` lines; a longer title wraps onto more lines at the minimum."""
    for points in range(TYPE_PT["title"], MIN_PT["title"] - 1, -2):
        lines = wrap(text, canvas.px(points), width_px)
        if len(lines) <= most_lines:
            return lines, canvas.px(points)
    return wrap(text, canvas.px(MIN_PT["title"]), width_px), canvas.px(MIN_PT["title"])
