"""Words on the timeline: each event's short label, and where labels go without overlapping.

One greedy rule places labels, here for exported images (PNG/SVG/PDF, deck pictures, embed,
HTML) and, ported line for line, in `assets/dashboard.js` for the live dashboard, which re-places
them on every zoom and pan frame without asking the server:

1. events are taken in priority order: importance (landmarks first), then date;
2. a label is tried beside a marker, right then left, level with it, then one to six label
   heights above and below (right, left or centred) (with a thin leader line to the marker); an event in several lanes is
   labelled once, at the first of these places that is free beside any of its markers;
   (three to six heights only while at most NARROW_VIEW events are in view: in a wide view a
   label stays near its marker or is left out);
4. a place is taken only if the box lies inside the plot area and touches no marker and no label
   already placed. Lane names sit outside the plot area, so a label never covers them.

At a narrow window every event fits; as the window widens, the most important come first and the
rest are left out, never drawn on top of each other.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC

from .schema import LABEL_MAX

DERIVED_MAX = 32  # a derived label: short enough to read at a glance, beside a marker
ELLIPSIS = "…"
_DANGLING = {"a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "at", "by", "from", "its", "as"}
# Advance widths (1/1000 em) of ' ' to '~' in Arial and its metric twin Liberation Sans.
_ARIAL_WIDTHS = (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556,
                 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778,
                 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278,
                 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
                 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584)
GAP = 2  # pixels between a marker and its label, and around every label box
LABEL_FONT_SIZE = 11
NARROW_VIEW = 60  # events in view up to which labels may go up to 6 label heights away; beyond, 2
NEAR_LEVELS = 2
# (side, rows): right/left of the marker (0: centred over or under it), level with it, then 1 to 6 label
# heights up (-) and down (+).
PLACES = ((1, 0), (-1, 0), *((side, row) for row in (-1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6) for side in (1, -1, 0)))


def short_label(title: str, label: str | None = None, limit: int = DERIVED_MAX) -> str:
    """The text drawn on the timeline: the curator's `label`, else the title cut at a word with an ellipsis.

    A cut never splits a word and never ends on a dangling "of"/"the"; a single word longer than
    the limit is cut inside it, but then the ellipsis still says so.
    """
    if label:
        return label[:LABEL_MAX]
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    words = title[: limit].split(" ")
    if len(words) > 1 and not title[limit:limit + 1].isspace():
        words = words[:-1]  # the last word was cut
    while len(words) > 1 and words[-1].casefold().strip(",;:") in _DANGLING:
        words = words[:-1]
    text = " ".join(words).rstrip(",;:-–— ")
    return (text[: limit - 1] if len(text) >= limit else text) + ELLIPSIS


def text_width(text: str, font_size: float) -> float:
    """Estimated pixel width of `text` in Arial at `font_size` (a character outside ASCII counts an em)."""
    return sum(_ARIAL_WIDTHS[ord(c) - 32] if 32 <= ord(c) <= 126 else 1000 for c in text) / 1000 * font_size


@dataclass(frozen=True)
class Placed:
    """One label put on the plot: which row (marker) it belongs to and its box centre's offset from it, in px."""

    row: int
    text: str
    dx: float
    dy: float
    width: float
    height: float


def place_labels(events, px, py, radius, width_of, plot_w: float, plot_h: float, line_h: float,
                 ceiling: float = 0) -> list[Placed]:
    """The greedy rule (see the module docstring) in pixels.

    `events` is [(text, [row, ...]), ...] in priority order; `px`, `py`, `radius` give each row's
    marker centre and half size in plot-area pixels (y down). `width_of(text)` is the label box
    width. Rows outside the plot area are neither labelled nor obstacles; no label rises above
    `ceiling` (the lanes' top edge: the administration bands lie above it).
    """
    grid = _Grid(cell=64)
    visible = [0 <= x <= plot_w and 0 <= y <= plot_h for x, y in zip(px, py, strict=True)]
    for row, shown in enumerate(visible):
        if shown:
            r = radius[row]
            grid.add((px[row] - r, py[row] - r, px[row] + r, py[row] + r))
    in_view = [(text, rows) for text, rows in events if any(visible[r] for r in rows)]
    # Far places (long leader lines) only in a narrow view, where every event should get its words.
    places = [p for p in PLACES if abs(p[1]) <= (NEAR_LEVELS if len(in_view) > NARROW_VIEW else 6)]
    placed = []
    for text, rows in in_view:
        w, h = width_of(text), line_h
        spot = _first_fit(grid, rows, visible, px, py, radius, w, h, plot_w, plot_h, ceiling, places)
        if spot is not None:
            row, box = spot
            grid.add(box)
            placed.append(Placed(row, text, (box[0] + box[2]) / 2 - px[row], (box[1] + box[3]) / 2 - py[row], w, h))
    return placed


def _first_fit(grid, rows, visible, px, py, radius, w, h, plot_w, plot_h, ceiling, places):
    for side, level in places:
        for row in rows:
            if not visible[row]:
                continue
            left = (px[row] + radius[row] + GAP if side > 0 else px[row] - radius[row] - GAP - w if side < 0
                    else px[row] - w / 2)
            top = py[row] - h / 2 + level * (h + GAP)
            box = (left, top, left + w, top + h)
            if box[0] >= 0 and box[1] >= ceiling and box[2] <= plot_w and box[3] <= plot_h and not grid.hits(box):
                return row, box
    return None


class _Grid:
    """Boxes bucketed by 64 px cells, so a test looks only at boxes nearby."""

    def __init__(self, cell: float):
        self.cell, self.cells = cell, {}

    def _keys(self, box):
        c = self.cell
        return [(i, j) for i in range(int(box[0] // c), int(box[2] // c) + 1)
                for j in range(int(box[1] // c), int(box[3] // c) + 1)]

    def add(self, box) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def hits(self, box) -> bool:
        g = GAP / 2
        return any(box[0] - g < o[2] and o[0] < box[2] + g and box[1] - g < o[3] and o[1] < box[3] + g
                   for key in self._keys(box) for o in self.cells.get(key, ()))


def label_annotations(figure: dict, *, width: float, height: float, font_size: float = LABEL_FONT_SIZE,
                      marker_scale: float = 1.0) -> list[dict]:
    """Plotly annotations for the labels of a timeline figure drawn at `width` × `height` px.

    Reads the candidates the figure carries in `layout.meta.labels` (see `figures.label_candidates`)
    and the figure's own margins and axis ranges, so an image gets the labels the dashboard shows.
    """
    layout = figure["layout"]
    meta = (layout.get("meta") or {}).get("labels")
    if not meta:
        return []
    margin = layout.get("margin", {})
    plot_w = width - margin.get("l", 80) - margin.get("r", 80)
    plot_h = height - margin.get("t", 100) - margin.get("b", 80)
    x0, x1 = meta["range"]
    y0, y1 = layout["yaxis"]["range"]
    px = [(x - x0) / (x1 - x0) * plot_w for x in meta["x"]]
    py = [(y1 - y) / (y1 - y0) * plot_h for y in meta["y"]]
    radius = [s * marker_scale / 2 for s in meta["size"]]
    line_h = round(font_size * 1.15) + 1
    placed = place_labels(meta["events"], px, py, radius, lambda t: text_width(t, font_size) * 1.04 + 6,
                          plot_w, plot_h, line_h, ceiling=(y1 - meta.get("top", y1)) / (y1 - y0) * plot_h)
    return [dict(x=meta["xs"][p.row], y=meta["y"][p.row], xref="x", yref="y", text=html.escape(p.text, quote=False),
                 showarrow=True, arrowhead=0, arrowwidth=0.8, arrowcolor="#8a96a3", standoff=radius[p.row],
                 ax=p.dx, ay=p.dy, axref="pixel", ayref="pixel", bgcolor="rgba(255,255,255,0.85)", borderpad=1,
                 font=dict(size=font_size, color="#1f2933"), name="event-label")
            for p in placed]


def era_label_spots(x0, x1, texts, view, plot_w: float, width_of) -> list[tuple[int, float]]:
    """(term, x centre in ms) for each administration name that fits inside the visible part of its term.

    The name sits in the middle of the part on screen, so zoomed into one year of a long term it is
    still named; a name wider than that part (less 8 px of padding) is left out, never clipped and
    never run into the next band. An acting president's band overlaps the suspended president's:
    a name that would touch one already placed in the row is left out too.
    """
    low, high = view
    spots, taken = [], []
    for i, text in enumerate(texts):
        a, b = max(x0[i], low), min(x1[i], high)
        width = width_of(text)
        if b > a and (b - a) / (high - low) * plot_w >= width + 8:
            middle = ((a + b) / 2 - low) / (high - low) * plot_w
            box = (middle - width / 2 - 4, middle + width / 2 + 4)
            if not any(box[0] < other[1] and other[0] < box[1] for other in taken):
                taken.append(box)
                spots.append((i, (a + b) / 2))
    return spots


def era_annotations(figure: dict, *, width: float, font_size: float) -> list[dict]:
    """Plotly annotations naming the administrations, placed by `era_label_spots` at this width."""
    layout = figure["layout"]
    margin = layout.get("margin", {})
    plot_w = width - margin.get("l", 80) - margin.get("r", 80)
    view = (layout.get("meta") or {}).get("labels", {}).get("range")
    annotations = []
    for band in (layout.get("meta") or {}).get("eras", []):
        for i, middle in era_label_spots(band["x0"], band["x1"], band["text"], view, plot_w,
                                         lambda t: text_width(t, font_size)):
            annotations.append(dict(x=_iso_ms(middle), y=band["y"], xref="x", yref="y", showarrow=False,
                                    text=html.escape(band["text"][i], quote=False),
                                    font=dict(size=font_size, color="#1f2933"), name="era-label"))
    return annotations


def annotate(figure: dict, *, width: float, height: float, font_size: float = LABEL_FONT_SIZE,
             marker_scale: float = 1.0) -> dict:
    """Add the event labels and administration names a `width` × `height` image of the timeline shows."""
    layout = figure["layout"]
    layout["annotations"] = [*layout.get("annotations", []),
                             *era_annotations(figure, width=width, font_size=font_size),
                             *label_annotations(figure, width=width, height=height, font_size=font_size,
                                                marker_scale=marker_scale)]
    return figure


def _iso_ms(ms: float) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")
