"""Any view, taken away: PNG, SVG, PDF, standalone HTML, CSV and a PowerPoint deck, as bytes.

Every export goes through `build_export(record, query, view, fmt, size)`, the same door for the
dashboard's Export menu, the `/embed` page and `python -m alliance export`. Figures get a slide
theme (type readable from the back of a room, a title that says what is shown, and a source line
naming the record version and the filters), so a quoted chart can be traced to its record.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from dataclasses import dataclass
from typing import TypedDict

from .canvas import LINE, Canvas, fitted_title, wrap
from .chartpage import chart_page
from .deck import deck_bytes
from .figures import TIMELINE_FONT_SIZE, label_margin, plot_data_of, timeline_figure, topic_matrix_figure, topic_year_figure
from .labels import era_annotations, label_annotations, text_width
from .query import Query
from .record import Record
from .renderer import Renderer
from .spreadsheet import csv_bytes, xlsx_bytes
from .titles import filters_text, source_line, title_for
from .view import year_window

__all__ = ["ExportError", "build_export", "filters_text", "slide_figure", "source_line", "title_for", "view_figure"]

VIEWS = ("timeline", "topics", "matrix")
FORMATS = ("png", "svg", "pdf", "html", "pptx", "csv", "xlsx")
WHOLE_VIEW_FORMATS = ("pptx", "csv", "xlsx")  # a deck or a table of the view: no chart choice, no pixel size
SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720), "1600x1200": (1600, 1200)}
DEFAULT_SIZE = "1920x1080"
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "html": "text/html",
        "csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
# Slides use fonts every presentation machine has (and Chromium finds at once: no font search per render).
SLIDE_FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
MARKER_GROWTH = 1.35  # markers on a slide, against the dashboard's, at 2 px per point


class ExportError(Exception):
    """An export that cannot be made (bad option, or the image engine failed); the message says why."""


class ExportOptionError(ExportError):
    """An option no export offers (an unknown view, format or size): the caller's mistake, not a failure."""


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    mimetype: str


def canvas_for(size: str) -> Canvas:
    """The canvas of an export size: the picture filling a slide of its shape (16:9 or 4:3)."""
    return Canvas.filling_slide(*SIZES[_size(size)])


def slide_figure(record: Record, query: Query, view: str, size: str | Canvas = DEFAULT_SIZE, *,
                 framed: bool = True, reflows: bool = False) -> dict:
    """The view as a finished slide: type sized in points for the slide, a title saying what is shown
    (wrapped, never cut), and the source line.

    `size` is an export size (the picture fills a slide) or a `Canvas` (a picture for a box of a
    deck slide). `framed=False` leaves out the title and the source line, for a deck slide that has
    its own title placeholder and footer (the chart then uses the room they took). `reflows=True`
    is for a page that redraws the chart at its window's width (HTML): the timeline's key then keeps
    to the plot's width, which plotly wraps itself at any width, instead of starting at the slide's
    left padding, which holds only at the size laid out for.
    """
    if view not in VIEWS:
        raise ExportOptionError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    canvas = size if isinstance(size, Canvas) else canvas_for(size)
    width, height, px = canvas.width, canvas.height, canvas.px
    figure = view_figure(record, query, view, height=height)
    layout = figure["layout"]
    _slide_type(figure, canvas)
    tick, key, side = px("tick"), px("key"), px(20)
    below_plot = _x_label_room(figure, tick)
    right = side + _legend_room(figure, key)
    title_lines, title_px = fitted_title(title_for(record, query, view), canvas, width - 2 * side) if framed else ([], 0)
    notes_above = any(note.get("y") == 1 for note in layout.get("annotations", []))
    top = (px(8) + round((len(title_lines) - 0.1) * title_px * LINE) + px(6) if framed else px(20)) \
        + (round(px("note") * LINE) + px(6) if notes_above else 0)
    if view == "timeline":  # the key's rows, as laid out from the slide's left padding, decide the lanes' height
        key_rows = _key_columns(figure, width - side - right, key)[0]
        _wrap_lane_names(layout, tick, height - top - below_plot - key_rows - px(40), width)
    left = max(side, _left_room(figure, tick, px("axis")))
    key_left = left if reflows else side
    key_room, key_columns = _key_columns(figure, width - key_left - right, key) if view == "timeline" else (0, {})
    source_px = px("source")
    shown = int(query.mask(record.frame).sum())
    source_lines = wrap(source_line(record, query, shown), source_px, width - left - side) if framed else []
    bottom = below_plot + key_room + (px(8) + round(len(source_lines) * source_px * LINE) + px(5) if framed else px(5))
    _deep_update(layout, dict(
        width=width, height=height, font=dict(size=px("axis"), family=SLIDE_FONT),
        title=dict(text="<br>".join(html.escape(line) for line in title_lines), x=side / width, xanchor="left",
                   y=1 - (px(8) + 0.9 * title_px) / height, yanchor="bottom",  # y: the first line's baseline
                   font=dict(size=title_px or px("title"), color="#0b4f8a", family=SLIDE_FONT)),
        margin=dict(l=left, r=right, t=top, b=max(bottom, side)),
        legend=dict(font=dict(size=key), title=dict(font=dict(size=key)), **key_columns),
        xaxis=dict(tickfont=dict(size=tick)), yaxis=dict(tickfont=dict(size=tick)),
    ))
    if right > side:
        layout["legend"].update(x=1, xanchor="left")
    if framed:
        layout["annotations"] = [*layout.get("annotations", []), dict(
            text="<br>".join(html.escape(line) for line in source_lines), xref="paper", yref="paper", x=0, y=0,
            xanchor="left", yanchor="top", align="left", yshift=-(below_plot + key_room + px(8)), showarrow=False,
            font=dict(size=source_px, color="#52606d"), name="source-line")]
    if view == "timeline":
        plot_h = height - top - layout["margin"]["b"]
        layout["legend"].update(x=(key_left - left) / (width - left - right), y=-(below_plot + px(4)) / plot_h)
        layout["annotations"] = [*layout.get("annotations", []),
                                 *era_annotations(figure, width=width, font_size=px("band")),
                                 *label_annotations(figure, width=width, height=height, font_size=px("event"),
                                                    marker_scale=MARKER_GROWTH * canvas.px_per_pt / 2)]
    return figure


def _slide_type(figure: dict, canvas: Canvas) -> None:
    """Markers, cell counts and the figure's own notes at slide size; notes along the top go above the plot."""
    layout, px = figure["layout"], canvas.px
    growth = MARKER_GROWTH * canvas.px_per_pt / 2
    for trace in figure["data"]:
        marker_size = trace["marker"].get("size") if trace.get("mode") == "markers" else None
        if isinstance(marker_size, list):
            trace["marker"]["size"] = [s * growth for s in marker_size]
        elif marker_size is not None:
            trace["marker"]["size"] = marker_size * growth
        if trace["type"] == "heatmap":  # the counts in the matrix's cells
            trace["textfont"] = {**trace.get("textfont", {}), "size": px("cell")}
    layout["uniformtext"] = dict(minsize=px(7), mode="hide")
    empty = (layout.get("meta") or {}).get("empty")
    for note in layout.get("annotations", []):
        note["font"] = {**note.get("font", {}), "size": px("empty" if empty else "note")}
        if note.get("y") == 1:  # inside the plot it could sit on the tallest bar
            note.update(yanchor="bottom", yshift=px(3))


def _wrap_lane_names(layout: dict, tick_size: int, plot_h: float, width: int) -> None:
    """Long lane names on two lines when the lanes are tall enough for two: at 14 pt a name like
    "Technology, science & space" would otherwise take a quarter of the slide's width from the plot.
    Lanes too short for two lines, or names short beside the slide, get every name on one line.

    Every name is broken at the same width: the narrowest at which each fits two lines (and no
    narrower than the administration rows' labels, which stay on one).
    """
    axis = layout.get("yaxis", {})
    names, (low, high) = axis.get("ticktext"), axis.get("range", (0, 0))
    if not names:
        return
    plain = [" ".join(html.unescape(line) for line in name.split("<br>")) for name in names]  # each on one line
    if (high <= low or plot_h / (high - low) < (LINE + 1) * tick_size  # two lines: 1.3 em apart, 1 em of ink
            or max(text_width(name, tick_size) for name in plain) < 0.15 * width):  # short: a second line gains little
        axis["ticktext"] = [html.escape(name, quote=False) for name in plain]
        return

    def two_lines(name: str) -> float:
        words = name.split()
        return min((max(text_width(" ".join(words[:i]), tick_size), text_width(" ".join(words[i:]), tick_size))
                    for i in range(1, len(words))), default=text_width(name, tick_size))

    limit = max(two_lines(name) if len(name.split()) > 2 else text_width(name, tick_size) for name in plain)
    axis["ticktext"] = ["<br>".join(html.escape(line, quote=False) for line in wrap(name, tick_size, limit))
                        for name in plain]


def _left_room(figure: dict, tick_size: int, axis_size: int) -> int:
    """Pixels left of the plot: the y axis's labels and, beside them, its title."""
    titled = bool((figure["layout"].get("yaxis", {}).get("title") or {}).get("text"))
    return label_margin(_y_labels(figure), tick_size) + (round(axis_size * 1.6) if titled else 0)


def _legend_room(figure: dict, font_size: int) -> int:
    """Pixels right of the plot for a vertical legend (events per year's areas): entries and title."""
    layout = figure["layout"]
    if layout.get("legend", {}).get("orientation") != "v" or layout.get("showlegend") is False:
        return 0
    names = [t["name"] for t in figure["data"] if t.get("showlegend", True) and t.get("name")]
    if not names:
        return 0
    title = (layout["legend"].get("title") or {}).get("text", "")
    lines = [text_width(n, font_size) + 40 for n in names] + [text_width(t, font_size) for t in title.split("<br>")]
    return math.ceil(max(lines) * 1.03) + 20


def _key_columns(figure: dict, room: float, font_size: int) -> tuple[int, dict]:
    """(pixels the key takes below the x axis, legend settings): a horizontal legend of equal columns
    spread over `room` px.

    The column width is set (`entrywidth`), so the rows are known before drawing. Plotly lays an
    entry out as its text plus 40 px (symbol and gaps), columns 5 px apart, each row 1.3 lines plus
    3 px, 10 px of padding. It wraps at the plot's width, or, for a key starting left of the plot,
    at the plot's width plus the left margin: columns spread over `room` leave no room for one more.
    """
    items = [t for t in figure["data"] if t.get("showlegend")]
    if not items:
        return 0, {}
    widest = math.ceil(max(text_width(t["name"], font_size) for t in items) * 1.03)
    per_row = max(1, int((room + 4) // (widest + 45)))
    column = max(widest + 45, int((room + 4) // per_row))
    rows = -(-len(items) // per_row)
    return math.ceil(rows * (font_size * 1.3 + 3) + 10), dict(entrywidth=column - 45, entrywidthmode="pixels")


def _x_label_room(figure: dict, tick_size: int) -> int:
    """Pixels the x axis's labels take below the plot, so the source line goes under them.

    Level labels take a line and their gap; the matrix's slanted ones their diagonal (sin 45° of their
    width and height), from the same width estimate as the lane names.
    """
    if abs(figure["layout"].get("xaxis", {}).get("tickangle", 0)) != 45:
        return round(1.6 * tick_size)
    labels = [str(x) for trace in figure["data"] if trace["type"] == "heatmap" for x in trace["x"]]
    return round(label_margin(labels, tick_size) * 0.71 + 1.6 * tick_size)  # and the axis title, at the ticks' size


def _y_labels(figure: dict) -> list[str]:
    """The text beside the y axis: its tick labels, a heatmap's rows, or the largest count of stacked bars."""
    ticks = figure["layout"].get("yaxis", {}).get("ticktext")
    if ticks:
        return [html.unescape(line) for tick in ticks for line in tick.split("<br>")]  # measured as drawn
    rows = [html.unescape(str(y)) for trace in figure["data"] if trace["type"] == "heatmap" for y in trace["y"]]
    totals: dict = {}
    for trace in figure["data"]:
        if trace["type"] == "bar" and trace.get("orientation") != "h":
            for x, y in zip(trace["x"], trace["y"], strict=True):
                totals[x] = totals.get(x, 0) + (y or 0)
    return rows + ([str(max(totals.values()))] if totals else [])


def _deep_update(target: dict, changes: dict) -> dict:
    """Merge `changes` into `target` key by key, as plotly's `update_layout` does (the template is never touched)."""
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict) and key != "template":
            target[key] = _deep_update(dict(target[key]), value)
        else:
            target[key] = value
    return target


class _Height(TypedDict, total=False):
    height: int


def view_figure(record: Record, query: Query, view: str, *, height: int | None = None,
                steady_lanes: bool = False, near_only: bool = False) -> dict:
    """The chart of one view for this query, as the dashboard draws it: for slides and the embed page.
    `steady_lanes`: the timeline's lanes do not follow the window (see `timeline_figure`), for Play;
    `near_only`: only the events near the window are drawn, for the dashboard, which redraws as it moves.

    A plain dict in plotly's JSON schema: a `go.Figure` would cost more than drawing the data (issue #7's load).
    """
    data = plot_data_of(record)
    keep = query.mask(record.frame).to_numpy()
    sized: _Height = {"height": height} if height else {}  # else each view's own default height
    if view == "topics":
        return topic_year_figure(data, record.vocab, keep=keep, lanes=query.topics, years=year_window(query, record.span),
                                 **sized)
    if view == "matrix":
        return topic_matrix_figure(data, record.vocab, keep=keep, lanes=query.topics, country=query.matrix,
                                   years=year_window(query, record.span), **sized)
    start, end = year_window(query, record.span)
    context = query.with_changes(start=None, end=None).mask(record.frame).to_numpy()
    highlight = None
    if query.q:  # in hide mode everything drawn matches already; in dim mode only some do
        highlight = keep if query.mode == "hide" else Query(q=query.q).mask(record.frame).to_numpy()
    return timeline_figure(data, record.vocab, keep=keep, context=context, mode=query.mode,
                           lanes=tuple(t for t in query.topics if t != "none"), selected=query.event,
                           highlight=highlight, window=(f"{start}-01-01", f"{end}-12-31"), steady_lanes=steady_lanes,
                           near_only=near_only, **sized)


def _size(size: str) -> str:
    if size not in SIZES:
        raise ExportOptionError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    return size


RENDERER = Renderer()  # one warm browser per process, started by the first image


def image_bytes(figure: dict, fmt: str) -> bytes:
    """PNG, SVG or PDF of a figure, at the figure's own width and height."""
    try:
        return RENDERER.render(figure, fmt=fmt, width=figure["layout"]["width"], height=figure["layout"]["height"])
    except Exception as error:  # kaleido reports browser problems with many exception types
        raise ExportError(f"the image engine failed ({type(error).__name__}: {error}); is chromium installed?") from error


def screen_figure(record: Record, query: Query, view: str) -> dict:
    """The view for a page the chart fills (the HTML export, /embed): the dashboard's figure and
    screen type, as tall as its window; the page around it carries the title and the source line
    (alliance/chartpage.py). The timeline's key hangs a fixed distance under the year axis, so it
    neither drifts from it in a tall window nor runs into it in a small frame."""
    figure = view_figure(record, query, view)
    layout = figure["layout"]
    layout.pop("height", None)
    if view == "timeline" and "legend" in layout:
        names = layout["yaxis"]["ticktext"] = [name.replace("<br>", " ") for name in layout["yaxis"]["ticktext"]]
        # Lane names on one line: a small frame's lanes are too short for two, and the page's height is the window's.
        layout["margin"] = {**layout["margin"], "l": label_margin(names, TIMELINE_FONT_SIZE), "b": 24}
        # The axis and the key push the bottom margin as far as they need.
        layout["legend"].update(y=0, yref="container", yanchor="bottom")
        layout["xaxis"]["automargin"] = True
    return figure


def page_words(record: Record, query: Query, view: str) -> tuple[str, str]:
    """(title, source line) of a chart page."""
    return title_for(record, query, view), source_line(record, query, int(query.mask(record.frame).sum()))


HTML_CONFIG = {"displaylogo": False, "responsive": True,
               "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud"]}


def html_bytes(figure: dict, *, title: str = "", source: str = "", timeline: bool = False) -> bytes:
    """A standalone page with plotly.js inside the file (works offline); the chart fills the window
    between its title and its source line (alliance/chartpage.py)."""
    page, _script = chart_page(figure, title=title, source=source, config=HTML_CONFIG, timeline=timeline)
    return page.encode("utf-8")


def filename_for(record: Record, query: Query, view: str, fmt: str, *, events: tuple[str, ...] = ()) -> str:
    """`alliance-timeline_security-trade_2000-2021_q-gangneung_<version>.png`: names tell views apart.

    A deck of listed events is named after them (`alliance-events_3_<first ids>_<hash of the list>_…`).
    """
    start, end = year_window(query, record.span)
    areas = "-".join(t for t in query.topics if t != "none") or "all"
    stem = "alliance-timeline" if fmt in WHOLE_VIEW_FORMATS else f"alliance-{view}"
    if events and fmt == "pptx":
        digest = hashlib.sha256(",".join(events).encode()).hexdigest()[:8]
        return f"alliance-events_{len(events)}_{_slug('-'.join(events))[:60].rstrip('-')}_{digest}_{record.version}.pptx"
    if query.narrative and fmt == "pptx":
        return f"alliance-narrative_{query.narrative}_{record.version}.pptx"
    extra = [("kinds", "-".join(query.kinds)), ("actors", "-".join(query.actors)), ("q", query.q),
             ("importance", "-".join(map(str, query.importance))), ("event", query.event or ""),
             ("dim", "1" if query.mode == "dim" else "")]
    words = "_".join(f"{name}-{_slug(value)}" for name, value in extra if value)
    middle = "_".join(part for part in (areas, _window_slug(query, start, end), words[:80].rstrip("-_")) if part)
    return f"{stem}_{middle}_{record.version}.{fmt}"


def _window_slug(query: Query, start: int, end: int) -> str:
    """`2000-2021`, or the dates as written when finer than years: `2019-03`, `2000-06-to-2021`."""
    first = query.start if query.start and int(query.start[:4]) == start else str(start)
    last = query.end if query.end and int(query.end[:4]) == end else str(end)
    if first == last:
        return first
    return f"{first}-{last}" if len(first) == len(last) == 4 else f"{first}-to-{last}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def build_export(record: Record, query: Query, view: str = "timeline", fmt: str = "png", size: str = DEFAULT_SIZE,
                 *, events: tuple[str, ...] = ()) -> Export:
    """The one entry point: validate the options, then make the bytes."""
    if fmt not in FORMATS:
        raise ExportOptionError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if view not in VIEWS:
        raise ExportOptionError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    _size(size)
    if fmt == "csv":
        content = csv_bytes(record, query)
    elif fmt == "xlsx":
        content = xlsx_bytes(record, query, sheet_title=title_for(record, query, "timeline"))
    elif fmt == "pptx":
        try:
            content = deck_bytes(record, query, events=events)
        except ValueError as error:  # an unknown event in the list, or a list and a narrative at once
            raise ExportOptionError(str(error)) from error
    elif fmt == "html":  # for a screen: its own type and layout, whatever the slide size
        title, source = page_words(record, query, view)
        content = html_bytes(screen_figure(record, query, view), title=title, source=source, timeline=view == "timeline")
    else:
        content = image_bytes(slide_figure(record, query, view, size), fmt)
    return Export(content, filename_for(record, query, view, fmt, events=events), MIME[fmt])
