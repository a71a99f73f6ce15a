"""Any view, taken away: PNG, SVG, PDF, standalone HTML, CSV and a PowerPoint deck, as bytes.

Every export goes through `build_export(record, query, view, fmt, size)`, the same door for the
dashboard's Export menu, the `/embed` page and `python -m alliance export`. Figures get a slide
theme (type readable from the back of a room, a title that says what is shown, and a source line
naming the record version and the filters), so a quoted chart can be traced to its record.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass
from datetime import date

import plotly.io as pio

from .figures import COUNTRY_NAMES, label_margin, plot_data_of, timeline_figure, topic_matrix_figure, topic_year_figure
from .query import Query
from .record import Record
from .renderer import Renderer
from .view import year_window

VIEWS = ("timeline", "topics", "matrix")
FORMATS = ("png", "svg", "pdf", "html", "pptx", "csv")
SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720), "1600x1200": (1600, 1200)}
DEFAULT_SIZE = "1920x1080"
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "html": "text/html",
        "csv": "text/csv", "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
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
    start, end = year_window(query)
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


def slide_figure(record: Record, query: Query, view: str, size: str = DEFAULT_SIZE) -> dict:
    """The view as a finished slide: large type, a title saying what is shown, and the source line."""
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
    _deep_update(layout, dict(
        width=width, height=height, font=dict(size=round(22 * scale), family=SLIDE_FONT),
        title=dict(text=html.escape(title_for(record, query, view)), x=0.02, xanchor="left", y=0.975,
                   font=dict(size=round(38 * scale), color="#0b4f8a", family=SLIDE_FONT)),
        margin=dict(l=max(round(40 * scale), label_margin(_y_labels(figure), tick_size)), r=round(40 * scale),
                    t=round(110 * scale), b=max(round(110 * scale), below_plot + round(50 * scale))),
        legend=dict(font=dict(size=round(18 * scale))),
        xaxis=dict(tickfont=dict(size=tick_size)), yaxis=dict(tickfont=dict(size=tick_size)),
    ))
    layout["annotations"] = [*layout.get("annotations", []), dict(
        text=html.escape(source_line(record, query, shown)), xref="paper", yref="paper", x=0, y=0,
        xanchor="left", yanchor="top", yshift=-(below_plot + round(20 * scale)), showarrow=False,
        font=dict(size=round(16 * scale), color="#52606d"))]
    return figure


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


def view_figure(record: Record, query: Query, view: str, *, height: int | None = None) -> dict:
    """The chart of one view for this query, as the dashboard draws it: for slides and the embed page.

    A plain dict in plotly's JSON schema: a `go.Figure` would cost more than drawing the data (issue #7's load).
    """
    data = plot_data_of(record)
    keep = query.mask(record.frame).to_numpy()
    sized = {"height": height} if height else {}
    if view == "topics":
        return topic_year_figure(data, record.vocab, keep=keep, lanes=query.topics, years=year_window(query), **sized)
    if view == "matrix":
        return topic_matrix_figure(data, record.vocab, keep=keep, lanes=query.topics, country=query.matrix,
                                   years=year_window(query), **sized)
    start, end = year_window(query)
    return timeline_figure(data, record.vocab, keep=keep, mode=query.mode,
                           lanes=tuple(t for t in query.topics if t != "none"), selected=query.event,
                           window=(f"{start}-01-01", f"{end}-12-31"), **sized)


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


def html_bytes(figure: dict, *, plotlyjs: str | bool = True, controls: bool = True) -> bytes:
    """A standalone page: plotly.js inside the file (works offline) unless a script URL is given.

    The chart fills the page (no fixed size). `controls=False` drops plotly's mode bar, for
    chart-only embeds; hover stays interactive.
    """
    layout = {key: value for key, value in figure["layout"].items() if key not in ("width", "height")}
    text = pio.to_html({**figure, "layout": {**layout, "autosize": True}}, validate=False, full_html=True,
                       include_plotlyjs=plotlyjs, default_height="100vh",
                       config={"displaylogo": False, "responsive": True, "displayModeBar": controls})
    return text.replace("<html>", '<html lang="en">', 1).encode("utf-8")


def _cell(value) -> str:
    """CSV cell text; a leading = + @ would run as a formula in a spreadsheet, so it is quoted away."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "@", "\t", "\r") else text


def csv_bytes(record: Record, query: Query) -> bytes:
    """Every field of every event in view; lists joined with `; `, sources in numbered columns."""
    frame = query.apply(record.frame)
    most = max((len(s) for s in frame["sources"]), default=0)
    header = ["id", "date", "end_date", "precision", "title", "summary", "topics", "kind", "actors", "importance",
              "related"] + [f"source{i}_{part}" for i in range(1, most + 1) for part in ("title", "publisher", "url", "date")]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in frame.itertuples():
        sources = [s.get(part) for s in row.sources for part in ("title", "publisher", "url", "date")]
        writer.writerow([_cell(v) for v in [
            row.id, row.date_text, row.end_date_text if isinstance(row.end_date_text, str) else "", row.precision,
            row.title, row.summary, "; ".join(row.topics), row.kind, "; ".join(row.actors), int(row.importance),
            "; ".join(row.related)] + sources + [""] * (4 * most - len(sources))])
    return out.getvalue().encode("utf-8-sig")  # BOM: spreadsheets then read UTF-8 correctly


def deck_bytes(record: Record, query: Query) -> bytes:
    """A 16:9 deck: title slide, timeline, topic view, then one slide per landmark event in view."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # exactly 16:9 (13.333 x 7.5 in)
    blank, title_only = deck.slide_layouts[6], deck.slide_layouts[0]
    frame = query.apply(record.frame)

    cover = deck.slides.add_slide(title_only)
    cover.shapes.title.text = title_for(record, query, "timeline")
    cover.placeholders[1].text = f"{source_line(record, query, len(frame))}\nGenerated {date.today().isoformat()}"
    # The default template's placeholders are laid out for 4:3: spread them across the 16:9 slide.
    for placeholder, top in ((cover.shapes.title, Inches(1.9)), (cover.placeholders[1], Inches(4.0))):
        placeholder.left, placeholder.top = Inches(0.8), top
        placeholder.width, placeholder.height = Emu(deck.slide_width - Inches(1.6)), Inches(1.9)
    for picture_view in ("timeline", "topics"):
        slide = deck.slides.add_slide(blank)
        png = image_bytes(slide_figure(record, query, picture_view, "1920x1080"), "png")
        slide.shapes.add_picture(io.BytesIO(png), 0, 0, width=deck.slide_width, height=deck.slide_height)
        slide.notes_slide.notes_text_frame.text = source_line(record, query, len(frame))
    box_width, box_height = deck.slide_width - Inches(1.4), Inches(6.5)
    for row in frame[frame["importance"] == 3].itertuples():
        slide = deck.slides.add_slide(blank)
        text = slide.shapes.add_textbox(Inches(0.7), Inches(0.5), Emu(box_width), box_height).text_frame
        text.word_wrap = True
        sources = [(" — ".join(part for part in (s["title"], s["publisher"], s["date"]) if part), s["url"])
                   for s in row.sources]
        paragraphs = [(row.title, 32, None), (row.date_label, 20, None), (row.summary, 20, None), ("Sources", 16, None),
                      *((line, 14, url) for line, url in sources)]
        scale = text_scale([(line, size) for line, size, _ in paragraphs], Emu(box_width).inches, box_height.inches)
        for index, (line, size, url) in enumerate(paragraphs):
            paragraph = text.paragraphs[0] if index == 0 else text.add_paragraph()
            paragraph.text = line
            paragraph.runs[0].font.size = Pt(round(size * scale, 1))
            paragraph.runs[0].font.bold = index == 0
            if 0 < index < 4:
                paragraph.space_before = Pt(round(12 * scale, 1))
            if url:
                paragraph.runs[0].hyperlink.address = url
        slide.notes_slide.notes_text_frame.text = "Sources:\n" + "\n".join(
            " — ".join(part for part in (s["title"], s["publisher"], s["date"], s["url"]) if part) for s in row.sources)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


CHAR_WIDTH_EM = 0.55  # average advance of Calibri and of the fonts that stand in for it (DejaVu Sans is widest)
LINE_HEIGHT_EM = 1.2
PARAGRAPH_GAP_PT = 12


def text_scale(paragraphs: list[tuple[str, float]], width_in: float, height_in: float) -> float:
    """The factor (at most 1) by which to shrink every font so these (text, points) paragraphs fit the box.

    A slide deck has no layout engine to ask, so lines are estimated from an average character
    width, on the generous side: a long summary with many sources shrinks instead of running off
    the slide.
    """
    def height(scale: float) -> float:
        points = 0.0
        for line, size in paragraphs:
            per_line = max(1, int(width_in * 72 / (size * scale * CHAR_WIDTH_EM)))
            points += -(-max(len(line), 1) // per_line) * size * scale * LINE_HEIGHT_EM + PARAGRAPH_GAP_PT * scale
        return points / 72

    scale = 1.0
    while scale > 0.4 and height(scale) > height_in:
        scale -= 0.05
    return round(scale, 2)


def filename_for(record: Record, query: Query, view: str, fmt: str) -> str:
    start, end = year_window(query)
    areas = "-".join(t for t in query.topics if t != "none") or "all"
    stem = "alliance-timeline" if fmt in ("csv", "pptx") else f"alliance-{view}"
    return f"{stem}_{areas}_{start}-{end}_{record.version}.{fmt}"


def build_export(record: Record, query: Query, view: str = "timeline", fmt: str = "png", size: str = DEFAULT_SIZE) -> Export:
    """The one entry point: validate the options, then make the bytes."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if view not in VIEWS:
        raise ExportError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    _size(size)
    if fmt == "csv":
        content = csv_bytes(record, query)
    elif fmt == "pptx":
        content = deck_bytes(record, query)
    elif fmt == "html":
        content = html_bytes(slide_figure(record, query, view, size))
    else:
        content = image_bytes(slide_figure(record, query, view, size), fmt)
    return Export(content, filename_for(record, query, view, fmt), MIME[fmt])
