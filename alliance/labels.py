"""Words on the timeline: each event's short label, and where labels go without overlapping.

One greedy rule places labels, here for exported images (PNG/SVG/PDF, deck pictures, embed,
HTML) and, ported line for line, in `assets/labels.js` for the live dashboard, which re-places
them on every zoom and pan frame without asking the server (`tests/test_labels.py` runs both on
the same scenes and requires the same boxes):

1. events are taken in priority order: importance (landmarks first), then date; an event in
   several lanes is labelled once, beside whichever of its markers has room;
2. a label goes level with a marker, right then left of it, if nothing is there;
3. else into the cheapest place in a label row (rows of label height across the plot, as lines
   of text): slid along the row to the gap nearest the marker, costing its distance from the
   marker, plus a penalty for a leader line through a label or a marker or across another
   leader line, or for covering a leader line already drawn. A thin leader line joins it to its marker;
4. with at most NARROW_VIEW events in view, a label may go to any row and slide across the
   plot; in a wider view it stays within FIRST_ROWS rows of a marker and FIRST_SLIDE times its
   width along a row for the first NARROW_VIEW events, NEAR_ROWS and its width for the rest,
   or is left out (long
   leader lines across a crowded plot cannot be followed). The first NARROW_VIEW events take
   their compact form (a shorter cut of the title) when the full one finds no room, and the first
   TOP (in a few years' window, its landmarks) may then go TOP_ROWS rows away and slide TOP_SLIDE
   times their width, so a landmark in a crowded window is named with a longer leader line rather
   than left out. If at most NARROW_VIEW events are in view and some found no room, the rule
   runs again with every label trying its compact form first, and keeps that run if it names
   more events: every event named briefly beats some named in full and others not at all;
5. a place is taken only if the box lies inside the plot area, below the administration bands,
   and touches no marker and no label already placed. Lane names sit outside the plot area, so
   a label never covers them.

So at a narrow window (up to NARROW_VIEW events in view) every event gets its words wherever
the plot has room for them, and as the window widens, the most important come first and the
rest are left out, never drawn on top of each other. Each event costs a few row searches in
sorted interval lists: O(n log n) for n markers, for the browser's pan frames.
"""

from __future__ import annotations

import bisect
import html
import math
from dataclasses import dataclass
from datetime import UTC

from .schema import LABEL_MAX

DERIVED_MAX = 32  # a derived label: short enough to read at a glance, beside a marker
COMPACT_MAX = 20  # its compact form, for a crowded narrow view: a few words, still cut at a word
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
NARROW_VIEW = 60  # events in view up to which every label may go anywhere on the plot (with a leader line)
NEAR_ROWS = 2  # beyond, a label stays within two label rows of its marker, or is left out,
FIRST_ROWS = 5  # but the first NARROW_VIEW events (landmarks first) may go five rows away
FIRST_SLIDE = 2  # and slide twice their width along a row (the others: once)
TOP = 15  # the first TOP events (a few years' landmarks) may, when that finds no room,
TOP_ROWS = 10  # go ten rows away
TOP_SLIDE = 4  # and slide four times their width
CROSSING = 150  # cost (px) of a leader line through a label, or of a label over a leader line
THROUGH_MARKER = 40  # cost (px) of a leader line through another marker
TANGLE = 60  # cost (px) of a leader line across another leader line


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


def compact_label(title: str, label: str | None = None) -> str | None:
    """The label's shorter form for a crowded view (None when the label is already that short)."""
    full = short_label(title, label)
    short = short_label(full.removesuffix(ELLIPSIS), None, COMPACT_MAX)
    return short if len(short) < len(full) else None


def place_labels(events, px, py, radius, width_of, plot_w: float, plot_h: float, line_h: float,
                 ceiling: float = 0) -> list[Placed]:
    """The greedy rule (see the module docstring) in pixels.

    `events` is [(text, [row, ...]) or (text, [row, ...], compact text), ...] in priority order;
    `px`, `py`, `radius` give each row's marker centre and half size in plot-area pixels (y down).
    `width_of(text)` is the label box width. Rows outside the plot area are neither labelled nor
    obstacles; no label rises above `ceiling` (the lanes' top edge: the administration bands lie
    above it).
    """
    visible = _visible(px, py, plot_w, plot_h)
    in_view = [event for event in events if any(visible[r] for r in event[1])]
    placed = _place_pass(in_view, px, py, radius, width_of, plot_w, plot_h, line_h, ceiling, compact_first=False)
    if len(in_view) <= NARROW_VIEW and len(placed) < len(in_view):
        # Not every event found room: every label in its compact form leaves room for more of them.
        tight = _place_pass(in_view, px, py, radius, width_of, plot_w, plot_h, line_h, ceiling, compact_first=True)
        if len(tight) > len(placed):
            return tight
    return placed


def _place_pass(in_view, px, py, radius, width_of, plot_w, plot_h, line_h, ceiling, *, compact_first: bool) -> list[Placed]:
    """One run of the rule over the events in view; `compact_first` tries each compact form before the full one."""
    scene = _Scene(px, py, radius, plot_w, plot_h, line_h, ceiling)
    placed = []
    narrow = len(in_view) <= NARROW_VIEW
    for k, (text, rows, *compact) in enumerate(in_view):
        markers = [r for r in rows if scene.visible[r]]
        first = k < NARROW_VIEW
        rows_away = math.inf if narrow else FIRST_ROWS if first else NEAR_ROWS
        options = [text, *compact[:1]] if first else [text]
        tries = [(option, rows_away, FIRST_SLIDE if first else 1) for option in (options[::-1] if compact_first else options)]
        if k < TOP and not narrow:
            tries.append((tries[-1][0], TOP_ROWS, TOP_SLIDE))
        for option, reach, widths in tries:
            w = width_of(option)
            slide = plot_w if narrow else w * widths
            spot = scene.beside(markers, w) or scene.cheapest(markers, w, reach, slide)
            if spot is not None:
                row, box = spot
                scene.take(row, box)
                placed.append(Placed(row, option, (box[0] + box[2]) / 2 - px[row], (box[1] + box[3]) / 2 - py[row],
                                     w, line_h))
                break
    return placed


def _visible(px, py, plot_w: float, plot_h: float) -> list[bool]:
    """Whether each row's marker is inside the plot area (the others are neither labelled nor obstacles)."""
    return [0 <= x <= plot_w and 0 <= y <= plot_h for x, y in zip(px, py, strict=True)]


class _Scene:
    """The plot as the placer sees it: markers, labels and leader lines so far, and where labels may go.

    `boxes` (a grid of every marker and label box) answers "does this box touch anything" and
    "what does this leader line cross"; `blocked` holds, for each label row, the sorted disjoint
    x-ranges that a label in that row may not enter, so the free gaps nearest a marker are found
    by bisection instead of by testing every box in the neighbourhood.
    """

    def __init__(self, px, py, radius, plot_w, plot_h, line_h, ceiling):
        self.px, self.py, self.radius = px, py, radius
        self.plot_w, self.plot_h, self.line_h, self.ceiling = plot_w, plot_h, line_h, ceiling
        self.row_h = line_h + GAP
        self.n_rows = max(0, math.floor((plot_h - ceiling - line_h) / self.row_h) + 1)
        self.blocked: list[list[tuple[float, float]]] = [[] for _ in range(self.n_rows)]
        self.boxes, self.lines = _Grid(), _Grid()
        self.visible = _visible(px, py, plot_w, plot_h)
        for row, shown in enumerate(self.visible):
            if shown:
                r = radius[row]
                self.add((px[row] - r, py[row] - r, px[row] + r, py[row] + r, row))

    def add(self, box) -> None:
        """An obstacle: a marker (`box[4]` its row) or a label (-1)."""
        self.boxes.add(box)
        g = GAP / 2
        first = max(0, math.floor((box[1] - g - self.ceiling - self.line_h) / self.row_h))
        last = min(self.n_rows - 1, math.ceil((box[3] + g - self.ceiling) / self.row_h))
        for n in range(first, last + 1):
            top = self.ceiling + n * self.row_h
            if top - g < box[3] and box[1] < top + self.line_h + g:
                _block(self.blocked[n], box[0] - g, box[2] + g)

    def take(self, row, box) -> None:
        self.add(box)
        end = _leader_end(self.px[row], self.py[row], box)
        if math.hypot(end[0] - self.px[row], end[1] - self.py[row]) > self.radius[row] + 3:
            self.lines.add((self.px[row], self.py[row], *end))

    def fits(self, box) -> bool:
        return box[0] >= 0 and box[1] >= self.ceiling and box[2] <= self.plot_w and box[3] <= self.plot_h

    def beside(self, markers, w):
        """Level with a marker, right then left of it, where nothing is in the way (no leader line)."""
        h = self.line_h
        for r in markers:
            x, y, rad = self.px[r], self.py[r], self.radius[r]
            for left in (x + rad + GAP, x - rad - GAP - w):
                box = (left, y - h / 2, left + w, y + h / 2, -1)
                if self.fits(box) and not self.boxes.hits(box) and self.penalty(box, r) == 0:
                    return r, box
        return None

    def cheapest(self, markers, w, rows_away: float, slide: float):
        """The cheapest place in a label row at most `rows_away` rows from one of the markers: slid along the
        row to the free gap nearest the marker, costing its distance from it (up or down plus sideways)
        plus any leader line in the way; it slides at most `slide` px from centred on the marker."""
        h = self.line_h
        best, best_cost = None, math.inf
        for r in markers:
            reach = rows_away * self.row_h + self.row_h / 2
            ideal = self.px[r] - w / 2
            for dy, n in self._rows_nearest(self.py[r]):
                if dy > reach or dy >= best_cost:
                    break
                top = self.ceiling + n * self.row_h
                for first, last in _gaps(self.blocked[n], max(0, ideal - slide), min(self.plot_w - w - 1e-6, ideal + slide), w):
                    left = max(first, min(ideal, last))
                    box = (left, top, left + w, top + h, -1)
                    cost = dy + abs(left - ideal)
                    if cost >= best_cost or not self.fits(box):
                        continue
                    cost += self.penalty(box, r)
                    if cost < best_cost:
                        best, best_cost = (r, box), cost
        return best

    def _rows_nearest(self, y):
        """(distance, row) of the label rows, nearest `y` first (a tie goes to the upper row)."""
        h, row_h = self.line_h, self.row_h
        up = min(self.n_rows - 1, math.floor((y - self.ceiling - h / 2) / row_h))
        down = up + 1
        while up >= 0 or down < self.n_rows:
            dy_up = abs(self.ceiling + up * row_h + h / 2 - y) if up >= 0 else math.inf
            dy_down = abs(self.ceiling + down * row_h + h / 2 - y) if down < self.n_rows else math.inf
            if dy_up <= dy_down:
                yield dy_up, up
                up -= 1
            else:
                yield dy_down, down
                down += 1

    def penalty(self, box, r) -> float:
        """What a box for marker `r` costs beyond its distance: its leader line through a label or through
        another marker, the box over a leader line already drawn, its leader line across another (each
        counted once)."""
        x, y = self.px[r], self.py[r]
        end = _leader_end(x, y, box)
        label = marker = False
        leader = math.hypot(end[0] - x, end[1] - y) > self.radius[r] + 3
        if leader:
            for other in self.boxes.around((x, y, *end)):
                if other[4] != r and not (label if other[4] < 0 else marker) and _crosses(x, y, *end, other):
                    label, marker = label or other[4] < 0, marker or other[4] >= 0
                    if label and marker:
                        break
        covered = any(_crosses(x0, y0, x1, y1, box) for x0, y0, x1, y1 in self.lines.around(box))
        tangled = leader and any(_intersect((x, y, *end), line) for line in self.lines.around((x, y, *end)))
        return ((CROSSING if label else 0) + (THROUGH_MARKER if marker else 0) + (CROSSING if covered else 0)
                + (TANGLE if tangled else 0))


def _block(ranges: list, a: float, b: float) -> None:
    """Add the x-range [a, b] to a row's sorted disjoint ranges, merging those it meets."""
    lo = bisect.bisect_left(ranges, a, key=lambda rng: rng[1])  # first range ending at or after a
    hi = bisect.bisect_right(ranges, b, key=lambda rng: rng[0])  # first range starting after b
    if lo < hi:
        a, b = min(a, ranges[lo][0]), max(b, ranges[hi - 1][1])
    ranges[lo:hi] = [(a, b)]


def _intersect(a, b) -> bool:
    """Whether segments `a` and `b` (x0, y0, x1, y1) cross at a point inside both."""
    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    a0, a1, b0, b1 = (a[0], a[1]), (a[2], a[3]), (b[0], b[1]), (b[2], b[3])
    return side(a0, a1, b0) * side(a0, a1, b1) < 0 and side(b0, b1, a0) * side(b0, b1, a1) < 0


def _gaps(ranges: list, lo: float, hi: float, w: float) -> list[tuple[float, float]]:
    """Left edges from `lo` to `hi` where a `w`-wide box fits between a row's blocked ranges, as
    (first, last) left edge of each gap."""
    eps = 1e-6
    out, start = [], lo
    i = bisect.bisect_right(ranges, lo, key=lambda rng: rng[1])  # ranges ending at or before lo block nothing
    while i < len(ranges) and ranges[i][0] < hi + w and start <= hi:
        a, b = ranges[i]
        if a - w - eps >= start:
            out.append((start, min(a - w - eps, hi)))
        start = max(start, b + eps)
        i += 1
    if start <= hi:
        out.append((start, hi))
    return out


def _leader_end(x, y, box) -> tuple[float, float]:
    """The point of `box` nearest the marker at (x, y): where its leader line ends."""
    return max(box[0], min(x, box[2])), max(box[1], min(y, box[3]))


def _crosses(x0, y0, x1, y1, box) -> bool:
    """Whether the segment (x0, y0)-(x1, y1) passes through `box` (Liang-Barsky clipping)."""
    low, high = 0.0, 1.0
    dx, dy = x1 - x0, y1 - y0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return high - low > 1e-9


class _Grid:
    """Boxes (and leader lines) bucketed by 64 px cells, so a test looks only at what is nearby."""

    cell = 64

    def __init__(self):
        self.cells = {}

    def _keys(self, box):
        c = self.cell
        return [(i, j) for i in range(int(min(box[0], box[2]) // c), int(max(box[0], box[2]) // c) + 1)
                for j in range(int(min(box[1], box[3]) // c), int(max(box[1], box[3]) // c) + 1)]

    def add(self, box) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def around(self, box):
        """What is in the cells `box` touches (an item in two cells comes twice)."""
        return (o for key in self._keys(box) for o in self.cells.get(key, ()))

    def hits(self, box) -> bool:
        g = GAP / 2
        return any(box[0] - g < o[2] and o[0] < box[2] + g and box[1] - g < o[3] and o[1] < box[3] + g
                   for o in self.around(box))


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
    px, radius = anchors(meta["x"], meta.get("end"), [s * marker_scale / 2 for s in meta["size"]], (x0, x1), plot_w)
    py = [(y1 - y) / (y1 - y0) * plot_h for y in meta["y"]]
    line_h = round(font_size * 1.15) + 1
    placed = place_labels(meta["events"], px, py, radius, lambda t: text_width(t, font_size) * 1.04 + 6,
                          plot_w, plot_h, line_h, ceiling=(y1 - meta.get("top", y1)) / (y1 - y0) * plot_h)
    edge = _iso_ms(x0)
    return [dict(x=meta["xs"][p.row] if radius[p.row] else edge, y=meta["y"][p.row], xref="x", yref="y",
                 text=html.escape(p.text, quote=False),
                 showarrow=True, arrowhead=0, arrowwidth=0.8, arrowcolor="#8a96a3", standoff=radius[p.row],
                 ax=p.dx, ay=p.dy, axref="pixel", ayref="pixel", bgcolor="rgba(255,255,255,0.85)", borderpad=1,
                 font=dict(size=font_size, color="#1f2933"), name="event-label")
            for p in placed]


def anchors(xs, ends, radius, view, plot_w: float) -> tuple[list[float], list[float]]:
    """Where each row's label is anchored, in plot pixels, and its marker's half size.

    The marker's centre; but a row whose marker lies left of the view while its bar (a span, or a
    month or year) reaches into it is anchored at the view's left edge, with no marker there: the
    event is in view, so it is labelled, at the part of it that shows.
    """
    low, high = view
    px, half = [(x - low) / (high - low) * plot_w for x in xs], list(radius)
    for row, end in enumerate(ends or ()):
        if px[row] < 0 and end is not None and end > low:
            px[row], half[row] = 0.0, 0.0
    return px, half


def era_label_spots(x0, x1, texts, view, plot_w: float, width_of) -> list[tuple[int, float]]:
    """(term, x centre in ms) for each administration name that fits inside the visible part of its term.

    The name sits in the middle of the part on screen, so zoomed into one year of a long term it is
    still named; a name wider than that part (less 8 px of padding) is left out, never clipped and
    never run into the next band. An acting president's band overlaps the suspended president's:
    a name that would touch one already placed in the row is left out too.
    """
    low, high = view
    spots: list[tuple[int, float]] = []
    taken: list[tuple[float, float]] = []
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
