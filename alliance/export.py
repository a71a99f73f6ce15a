"""Any view, taken away: PNG, SVG, PDF, standalone HTML, CSV and a PowerPoint deck, as bytes.

Every export goes through `build_export(record, query, view, fmt, size)`, the same door for the
dashboard's Export menu, the `/embed` page and `python -m alliance export`. Figures get a slide
theme (type readable from the back of a room, a title that says what is shown, and a source line
naming the record version and the filters), so a quoted chart can be traced to its record.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import plotly.io as pio

from .deck import deck_bytes
from .figures import COUNTRY_NAMES, label_margin, plot_data_of, timeline_figure, topic_matrix_figure, topic_year_figure
from .labels import annotate, text_width
from .query import Query
from .record import Record
from .renderer import Renderer
from .spreadsheet import csv_bytes, xlsx_bytes
from .view import year_window

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
_VIEW_NAMES = {"timeline": "", "topics": "events per year", "matrix": "issue areas by administration"}


class ExportError(Exception):
    """An export that cannot be made (bad option, or the image engine failed); the message says why."""


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    mimetype: str


def title_for(record: Record, query: Query, view: str) -> str:
    """`U.S.–ROK alliance: Trade & economy and Security & defense, 2000–2021`."""
    labels = [t.label for t in record.vocab.topics if t.id in query.topics]
    areas = (", ".join(labels[:-1]) + " and " + labels[-1]) if len(labels) > 1 else "".join(labels)
    start, end = year_window(query, record.span)
    start = max(start, int(record.frame["year"].min())) if len(record.frame) else start
    what = ": ".join(part for part in ("U.S.–ROK alliance", areas) if part)
    name = _VIEW_NAMES.get(view, "")
    if view == "matrix":  # rows are areas: an event in two areas is counted in both
        name = f"events per issue area by {COUNTRY_NAMES[query.matrix]} administration (an event in two areas counts in each)"
    suffix = f" — {name}" if name else ""
    return f"{what}, {start}–{end}{suffix}"


IMPORTANCE_WORDS = {1: "minor", 2: "normal", 3: "landmark"}


def filters_text(record: Record, query: Query) -> str:
    """The filters in words a reader can quote: `Security & defense, North Korea; kinds: Summit; 2000–2021`.

    Labels come from the record's vocabularies (ids only where a vocabulary does not know them);
    the order follows the dashboard's filter bar.
    """
    topics = {t.id: t.label for t in record.vocab.topics}
    kinds = {k.id: k.label for k in record.vocab.kinds}
    chosen = [t.id for t in record.vocab.topics if t.id in query.topics]
    window = ("from " + query.start if query.start and not query.end else
              "until " + query.end if query.end and not query.start else
              f"{query.start}–{query.end}" if query.start else "")
    parts = [
        ", ".join(topics[t] for t in chosen) if chosen else ("no issue areas" if query.topics else ""),
        "kinds: " + ", ".join(kinds.get(k, k) for k in query.kinds) if query.kinds else "",
        "actors: " + ", ".join(query.actors) if query.actors else "",
        f"search: “{query.q}”" if query.q else "",
        window,
        "importance: " + ", ".join(IMPORTANCE_WORDS[i] for i in query.importance) if query.importance else "",
    ]
    return "; ".join(p for p in parts if p) or "none"


def source_line(record: Record, query: Query, shown: int) -> str:
    return (f"Source: Alliance Timeline record, {shown} of {len(record.frame)} events, record {record.version}; "
            f"filters: {filters_text(record, query)}")


def slide_figure(record: Record, query: Query, view: str, size: str = DEFAULT_SIZE, *, framed: bool = True) -> dict:
    """The view as a finished slide: large type, a title saying what is shown, and the source line.

    `framed=False` leaves out the title and the source line, for a deck slide that has its own
    title placeholder and footer (the chart then uses the room they took).
    """
    if view not in VIEWS:
        raise ExportError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    width, height = SIZES[_size(size)]
    scale = height / 1080
    figure = view_figure(record, query, view, height=height)
    layout = figure["layout"]
    if view == "timeline":
        for trace in figure["data"]:
            marker_size = trace["marker"].get("size") if trace.get("mode") == "markers" else None
            if isinstance(marker_size, list):
                trace["marker"]["size"] = [s * 1.35 * scale for s in marker_size]
            elif marker_size is not None:
                trace["marker"]["size"] = marker_size * 1.35 * scale
            if trace["type"] == "bar":
                trace["textfont"] = {**trace.get("textfont", {}), "size": round(18 * scale)}
        layout["uniformtext"] = dict(minsize=round(14 * scale), mode="hide")
    for trace in figure["data"]:
        if trace["type"] == "heatmap":  # the counts in the matrix's cells
            trace["textfont"] = {**trace.get("textfont", {}), "size": round(18 * scale)}
    shown = int(query.mask(record.frame).sum())
    tick_size = round(20 * scale)
    below_plot = _x_label_room(figure, tick_size)
    left = max(round(40 * scale), label_margin(_y_labels(figure), tick_size))
    key_font = round(18 * scale)
    key_room = _key_height(figure, width - left - round(40 * scale), key_font) if view == "timeline" else 0
    _deep_update(layout, dict(
        width=width, height=height, font=dict(size=round(22 * scale), family=SLIDE_FONT),
        title=dict(text=html.escape(title_for(record, query, view)) if framed else "", x=0.02, xanchor="left", y=0.975,
                   font=dict(size=round(38 * scale), color="#0b4f8a", family=SLIDE_FONT)),
        margin=dict(l=left, r=round(40 * scale), t=round((110 if framed else 40) * scale),
                    b=max(round((110 if framed else 40) * scale),
                          below_plot + key_room + round((50 if framed else 10) * scale))),
        legend=dict(font=dict(size=key_font)),
        xaxis=dict(tickfont=dict(size=tick_size)), yaxis=dict(tickfont=dict(size=tick_size)),
    ))
    if framed:
        layout["annotations"] = [*layout.get("annotations", []), dict(
            text=html.escape(source_line(record, query, shown)), xref="paper", yref="paper", x=0, y=0,
            xanchor="left", yanchor="top", yshift=-(below_plot + key_room + round(20 * scale)), showarrow=False,
            font=dict(size=round(16 * scale), color="#52606d"))]
    if view == "timeline":
        plot_h = height - layout["margin"]["t"] - layout["margin"]["b"]
        layout["legend"].update(y=-(below_plot + round(8 * scale)) / plot_h)
        annotate(figure, width=width, height=height, font_size=round(16 * scale), marker_scale=1.35 * scale)
    return figure


def _key_height(figure: dict, plot_w: float, font_size: int) -> int:
    """Pixels the key (a horizontal legend under the x axis) takes. A wrapping horizontal legend lays
    its entries out in equal columns as wide as the widest entry (symbol, gap, text)."""
    items = [t for t in figure["data"] if t.get("showlegend")]
    if not items:
        return 0
    column = max(text_width(t["name"], font_size) for t in items) + 50 + font_size
    per_row = max(1, int(plot_w // column))
    rows = -(-len(items) // per_row)
    return round(rows * font_size * 1.4 + font_size)


def _x_label_room(figure: dict, tick_size: int) -> int:
    """Pixels the x axis's labels take below the plot, so the source line goes under them.

    Level labels take about two lines; the matrix's slanted ones their diagonal (sin 45° of their
    width and height), from the same width estimate as the lane names.
    """
    if abs(figure["layout"].get("xaxis", {}).get("tickangle", 0)) != 45:
        return 2 * tick_size
    labels = [str(x) for trace in figure["data"] if trace["type"] == "heatmap" for x in trace["x"]]
    return round((label_margin(labels, tick_size) + tick_size) * 0.71)


def _y_labels(figure: dict) -> list[str]:
    """The text beside the y axis: its tick labels, or a heatmap's rows."""
    ticks = figure["layout"].get("yaxis", {}).get("ticktext")
    if ticks:
        return list(ticks)
    return [str(y) for trace in figure["data"] if trace["type"] == "heatmap" for y in trace["y"]]


def _deep_update(target: dict, changes: dict) -> dict:
    """Merge `changes` into `target` key by key, as plotly's `update_layout` does (the template is never touched)."""
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict) and key != "template":
            target[key] = _deep_update(dict(target[key]), value)
        else:
            target[key] = value
    return target


def view_figure(record: Record, query: Query, view: str, *, height: int | None = None,
                steady_lanes: bool = False) -> dict:
    """The chart of one view for this query, as the dashboard draws it: for slides and the embed page.
    `steady_lanes`: the timeline's lanes do not follow the window (see `timeline_figure`), for Play.

    A plain dict in plotly's JSON schema: a `go.Figure` would cost more than drawing the data (issue #7's load).
    """
    data = plot_data_of(record)
    keep = query.mask(record.frame).to_numpy()
    sized = {"height": height} if height else {}
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
                           **sized)


def _size(size: str) -> str:
    if size not in SIZES:
        raise ExportError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    return size


RENDERER = Renderer()  # one warm browser per process, started by the first image


def image_bytes(figure: dict, fmt: str) -> bytes:
    """PNG, SVG or PDF of a figure, at the figure's own width and height."""
    try:
        return RENDERER.render(figure, fmt=fmt, width=figure["layout"]["width"], height=figure["layout"]["height"])
    except Exception as error:  # kaleido reports browser problems with many exception types
        raise ExportError(f"the image engine failed ({type(error).__name__}: {error}); is chromium installed?") from error


def html_bytes(figure: dict) -> bytes:
    """A standalone page with plotly.js inside the file (works offline); the chart fills the page.

    (`/embed` writes its own page, with one hashed inline script: components/embed.py.)
    """
    layout = {key: value for key, value in figure["layout"].items() if key not in ("width", "height")}
    text = pio.to_html({**figure, "layout": {**layout, "autosize": True}}, validate=False, full_html=True,
                       include_plotlyjs=True, default_height="100vh",
                       config={"displaylogo": False, "responsive": True, "displayModeBar": True})
    return text.replace("<html>", '<html lang="en">', 1).encode("utf-8")


def filename_for(record: Record, query: Query, view: str, fmt: str) -> str:
    """`alliance-timeline_security-trade_2000-2021_q-gangneung_<version>.png`: names tell views apart."""
    start, end = year_window(query, record.span)
    areas = "-".join(t for t in query.topics if t != "none") or "all"
    stem = "alliance-timeline" if fmt in WHOLE_VIEW_FORMATS else f"alliance-{view}"
    if query.narrative and fmt == "pptx":
        return f"alliance-narrative_{query.narrative}_{record.version}.pptx"
    extra = [("kinds", "-".join(query.kinds)), ("actors", "-".join(query.actors)), ("q", query.q),
             ("importance", "-".join(map(str, query.importance))), ("event", query.event or ""),
             ("dim", "1" if query.mode == "dim" else "")]
    words = "_".join(f"{name}-{_slug(value)}" for name, value in extra if value)
    middle = "_".join(part for part in (areas, f"{start}-{end}", words[:80].rstrip("-_")) if part)
    return f"{stem}_{middle}_{record.version}.{fmt}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def build_export(record: Record, query: Query, view: str = "timeline", fmt: str = "png", size: str = DEFAULT_SIZE,
                 *, events: tuple[str, ...] = ()) -> Export:
    """The one entry point: validate the options, then make the bytes."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if view not in VIEWS:
        raise ExportError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    _size(size)
    if fmt == "csv":
        content = csv_bytes(record, query)
    elif fmt == "xlsx":
        content = xlsx_bytes(record, query, sheet_title=title_for(record, query, "timeline"))
    elif fmt == "pptx":
        content = deck_bytes(record, query, events=events)
    elif fmt == "html":
        content = html_bytes(slide_figure(record, query, view, size))
    else:
        content = image_bytes(slide_figure(record, query, view, size), fmt)
    return Export(content, filename_for(record, query, view, fmt), MIME[fmt])
