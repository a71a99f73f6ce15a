"""Frames to plotly figures. Pure: the same inputs always give the same figure.

The timeline has one swimlane per issue area (vocabulary order, top to bottom). An event in several
areas appears in each of its lanes, so a lane read on its own is complete. Colour marks the lane,
shape the kind, size the importance, so no meaning rests on colour alone. Every kind's symbol is
filled, so "hollow" means one thing: an event known only to the month or year, drawn hollow (a
white fill inside a thick lane-coloured outline, never white on white) at the middle of its
period, with a thin bar across the whole period. Spans are drawn as thick bars; U.S. and ROK
administrations as bands above the lanes. A key (plotly's legend, below the plot) explains each
encoding in use. Event labels and band names are placed by `alliance.labels` (exports) and
`assets/dashboard.js` (live), from candidates the figure carries in `layout.meta`.

Speed: everything that does not depend on the view (positions, symbols, hover text, lane and
administration of every event) is computed once per record into `PlotData`; a view then costs
boolean masks and counts. Figures are plain dicts in plotly's JSON schema, which Dash sends as they
are (building `go.Figure` objects cost more than the rest of a dashboard update). A screen cannot
show more than a few thousand markers, so above `MAX_POINTS` the timeline draws each lane's
density over time plus the most important events, and the payload stays bounded at any size.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import plotly.io as pio

from .labels import compact_label, short_label, text_width
from .memo import per_record
from .record import EventRow, Vocabulary, event_rows
from .schema import Era

FONT = "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
INK, MUTED, GRID, DIM = "#1f2933", "#52606d", "#e5e9f0", "#c3cad4"
HIGHLIGHT, SELECTED = "#E69F00", "#111111"
# Dark ink on a white box (contrast 14.7:1), set in full: plotly's default hover font takes the border colour.
HOVER_LABEL = dict(bgcolor="white", bordercolor=MUTED, font=dict(family=FONT, size=13, color=INK), align="left")
TIMELINE_FONT_SIZE = 13
MARKER_SIZE = {1: 8, 2: 11, 3: 16}
# How far each plotly symbol reaches beyond a circle of the same marker size (measured on plotly's own
# paths), so the label placer keeps labels off a diamond's or a star's points too.
SYMBOL_REACH = {"diamond": 1.3, "cross": 1.2, "x": 1.14, "triangle-up": 1.16, "triangle-down": 1.16, "star": 1.34,
                "star-diamond": 1.4}
SUBROW_OFFSETS = (0.0, 0.24, -0.24, 0.12, -0.12)
ERA_COLOURS = {"US": ("#dbe7f3", "#c4d7ea"), "ROK": ("#e4efe6", "#cfe3d3")}
MAX_POINTS = 2500  # markers drawn before the timeline switches to density + landmarks (browser redraw cost;
# the real record, about 630 events in 1,200 lane markers, is always drawn whole, with room to grow)
LANDMARKS = 200  # events still marked over the density, most important first
DENSITY_BINS = 200  # density cells across the visible window
TEMPLATE = pio.templates["plotly_white"].to_plotly_json()  # expanded once: a dict figure carries its template
_PRECISION_NOTE = {"day": "", "month": " (only the month is known)", "year": " (only the year is known)"}


@dataclass(frozen=True, eq=False)
class PlotData:
    """The view-independent half of every figure, one row per (event, issue area) pair.

    Rows are sorted by lane (vocabulary order) then date, so each lane reads left to right. Dates are
    kept both as numbers (for masks and bins) and as ISO text (what the browser receives).
    """

    n_events: int
    event: np.ndarray  # frame position of the row's event
    lane: np.ndarray  # index of the row's issue area in the vocabulary
    rank: np.ndarray  # position of that area in the event's own list (0: listed first, its primary area)
    x: np.ndarray  # datetime64[s]: the marker's position (middle of a month or year)
    first: np.ndarray  # first day the date may stand for
    reach: np.ndarray  # last day the event touches: end of a span, else end of its date
    x_text: np.ndarray
    first_text: np.ndarray
    last_text: np.ndarray
    end_text: np.ndarray  # None unless a span
    exact: np.ndarray  # date known to the day
    symbol: np.ndarray
    size: np.ndarray
    importance: np.ndarray
    hover: np.ndarray
    label: np.ndarray  # the short text drawn beside the marker (`labels.short_label`)
    compact: np.ndarray  # its shorter form for a crowded view, or None (`labels.compact_label`)
    ids: np.ndarray
    year: np.ndarray
    eras: dict  # country -> administration in office at each row's start (index into full_terms), -1 if none


def _plain(text: str) -> str:
    """Record text (labels, names, titles) as plotly must get it: escaped, because plotly renders a subset
    of HTML, links included, in tick labels, legends, hover and bar text. Quotes stay: outside a tag they are
    plain text, and plotly does not decode `&quot;` (it would show as typed)."""
    return html.escape(text, quote=False)


def hover_text(row: EventRow, topic_labels: dict[str, str], kind_label: str) -> str:
    """Hover content; record text is escaped because plotly renders a subset of HTML in labels."""
    areas = ", ".join(topic_labels.get(t, t) for t in row.topics)
    return (f"<b>{html.escape(row.title)}</b><br>{html.escape(row.date_label)}{_PRECISION_NOTE[row.precision]}"
            f"<br>{html.escape(kind_label)} · {html.escape(areas)}")


def label_margin(labels, font_size: float) -> int:
    """Pixels to reserve beside an axis for its tick labels (plotly text: escaped, lines split by `<br>`).

    Plotly's automargin would find this itself, but only by drawing the whole figure, widening the
    margin and drawing it again: twice the cost of every export and dashboard update. The estimate
    uses Arial's widths plus a tenth for wider fonts (Inter, Roboto); a character outside ASCII counts
    an em. Too small is still correct (plotly then widens and redraws), just slower.
    """
    lines = [html.unescape(line) for label in labels for line in str(label).split("<br>")]
    return round(max((text_width(line, font_size) for line in lines), default=0) * 1.1 + 16)


LANE_NAME_LINE = 20  # characters: a longer lane name goes on two lines, so the names take less of the plot's width


def lane_name(label: str) -> str:
    """A lane's tick label: its name escaped, split on two lines when long, where its longer line is shortest.

    "Summits & alliance politics" is the widest name and would set the margin for all; on two lines
    the lane names give the plot about 80 px more for events and their labels.
    """
    spaces = [i for i, c in enumerate(label) if c == " "]
    if len(label) <= LANE_NAME_LINE or not spaces:
        return _plain(label)
    cut = min(spaces, key=lambda i: (max(i, len(label) - i - 1), i))  # the shorter longest line
    return f"{_plain(label[:cut])}<br>{_plain(label[cut + 1:])}"


def full_terms(eras, country: str) -> list[Era]:
    """Administrations of one country that the matrix counts: acting presidents are folded into the term."""
    return [e for e in eras if e.country == country and not e.acting]


def plot_data(frame: pd.DataFrame, vocab: Vocabulary) -> PlotData:
    """Compute, once per record, everything about each event that no filter can change."""
    order = {t.id: i for i, t in enumerate(vocab.topics)}
    event = np.repeat(np.arange(len(frame)), frame["topics"].map(len).to_numpy())
    lane = np.array([order[t] for t in itertools.chain.from_iterable(frame["topics"])], dtype=np.int64)
    rank = np.concatenate([np.arange(len(t)) for t in frame["topics"]] or [np.zeros(0, dtype=np.int64)]).astype(np.int64)
    first = frame["start"].to_numpy("datetime64[s]")
    last = frame["date_last"].to_numpy("datetime64[s]")
    end = frame["end"].to_numpy("datetime64[s]")
    x = first + (last - first) // 2
    rows = np.lexsort((first[event], lane))  # stable: frame order (date, id) breaks ties
    event, lane, rank = event[rows], lane[rows], rank[rows]
    kinds = {k.id: k for k in vocab.kinds}
    labels = {t.id: t.label for t in vocab.topics}
    per_event = {
        "x_text": _iso(x), "first_text": _iso(first), "last_text": _iso(last),
        "end_text": _iso_or_none(end),
        "exact": (frame["precision"] == "day").to_numpy(),
        "symbol": np.array([kinds[str(k)].symbol for k in frame["kind"]], dtype=object),
        "size": np.array([MARKER_SIZE[int(i)] for i in frame["importance"]]),
        "importance": frame["importance"].to_numpy(dtype=np.int64),
        "hover": np.array([hover_text(r, labels, kinds[str(r.kind)].label) for r in event_rows(frame)], dtype=object),
        "label": np.array([short_label(t, lab if isinstance(lab, str) else None)
                           for t, lab in zip(frame["title"], frame["label"], strict=True)], dtype=object),
        "compact": np.array([compact_label(t, lab if isinstance(lab, str) else None)
                             for t, lab in zip(frame["title"], frame["label"], strict=True)], dtype=object),
        "ids": frame["id"].to_numpy(dtype=object),
        "year": frame["year"].to_numpy(dtype=np.int64),
    }
    starts = frame["start"]
    eras = {country: _era_index(starts, full_terms(vocab.eras, country))[event] for country in ("US", "ROK")}
    return PlotData(n_events=len(frame), event=event, lane=lane, rank=rank, x=x[event], first=first[event],
                    reach=np.where(np.isnat(end), last, end)[event], eras=eras,
                    **{name: values[event] for name, values in per_event.items()})


def _iso(values: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(values, unit="s").astype(object)


def _iso_or_none(values: np.ndarray) -> np.ndarray:
    """`_iso`, with None where a value is missing (NaT): the end of an event that is not a span."""
    text = _iso(values)
    text[np.isnat(values)] = None
    return text


def _era_index(starts: pd.Series, eras: list[Era]) -> np.ndarray:
    """Index of the administration in office on each start date (-1 if none)."""
    result = np.full(len(starts), -1)
    values = starts.to_numpy()
    for i, era in enumerate(eras):
        end = np.datetime64(era.end.first) if era.end else np.datetime64("9999-12-31")
        result[(values >= np.datetime64(era.start.first)) & (values < end)] = i
    return result


def pack_subrows(x, min_gap_days: float) -> np.ndarray:
    """Greedy vertical offsets inside one lane so markers closer than `min_gap_days` do not overlap."""
    days = np.asarray(x, dtype="datetime64[D]").astype(np.int64).tolist()
    last = [-float("inf")] * len(SUBROW_OFFSETS)
    offsets = np.zeros(len(days))
    for i, day in enumerate(days):
        row = next((r for r, seen in enumerate(last) if day - seen >= min_gap_days), None)
        if row is None:
            row = last.index(min(last))
        last[row] = day
        offsets[i] = SUBROW_OFFSETS[row]
    return offsets


def _window(data: PlotData, window) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The visible range: `window`, else the years the data covers (no year is fixed in code)."""
    if window:
        return pd.Timestamp(window[0]), pd.Timestamp(window[1])
    if not len(data.x):
        return pd.Timestamp("2000-01-01"), pd.Timestamp("2000-12-31")
    return (pd.Timestamp(str(data.first.min())[:4] + "-01-01"), pd.Timestamp(str(data.reach.max())[:4] + "-12-31"))


def _segments(x0, x1, y) -> tuple[list, list]:
    xs, ys = [], []
    for a, b, yy in zip(x0, x1, y, strict=False):
        xs += [a, b, None]
        ys += [yy, yy, None]
    return xs, ys


def _event_mask(mask, n_events: int) -> np.ndarray:
    return np.ones(n_events, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)


def timeline_figure(data: PlotData, vocab: Vocabulary, *, keep=None, context=None, mode: str = "hide", lanes=(),
                    selected: str | None = None, highlight=None, window=None, show_eras: bool = True,
                    height: int | None = None, steady_lanes: bool = False, near_only: bool = False) -> dict:
    """The swimlane timeline.

    `keep` (a boolean per event, all when None) marks the events the filters keep, the time window
    included: they decide which lanes show. `context` (default: `keep`) marks the events the filters
    keep whatever the window: they are drawn too, so panning past the window never shows a blank
    year. `mode` hides the others or draws them dimmed. `lanes` restricts the swimlanes; `selected`
    rings one event, `highlight` (a boolean per event) rings search matches, `window` is the visible
    range (start, end), by default the data's own years. The lanes are the issue areas with an event
    in the window, or with `steady_lanes` (while Play moves the window) those with an event the
    filters keep whatever the window, so no lane appears and collapses between two ticks.
    `near_only` draws only the events near it (`_near`), for a page that asks for a new
    figure whenever the window moves (the dashboard): a zoom or pan step then restyles a third of the
    markers (bench/zoom_cost.py); a page that cannot ask (an export, /embed) draws them all.
    """
    kept = _event_mask(keep, data.n_events)[data.event]
    normal = kept if context is None else _event_mask(context, data.n_events)[data.event] | kept
    start, end = _window(data, window)
    if not kept.any():
        return empty_timeline(start, end, height)
    drawn = np.ones(len(kept), dtype=bool) if mode == "dim" else normal
    wanted = [i for i, t in enumerate(vocab.topics) if not lanes or t.id in lanes]
    present = set(np.unique(data.lane[drawn if mode == "dim" else normal if steady_lanes else kept]).tolist())
    shown = [i for i in wanted if i in present] or wanted
    lane_y = {lane: len(shown) - 1 - k for k, lane in enumerate(shown)}
    candidates = drawn & np.isin(data.lane, shown)
    if near_only:
        candidates &= _near(data, start, end)
    points, density = _level_of_detail(data, candidates, normal, start, end)
    traces: list[dict] = []
    if density is not None:
        traces += _density_traces(density, vocab, lane_y)
    placed_rows, placed_y = [], []
    for lane in shown:
        rows = np.flatnonzero(points & (data.lane == lane))
        y = lane_y[lane] + pack_subrows(data.x[rows], (end - start).days * 0.012)
        traces += _lane_traces(data, vocab.topics[lane], rows, y, normal[rows])
        placed_rows.append(rows)
        placed_y.append(y)
    placed = np.concatenate(placed_rows) if placed_rows else np.array([], dtype=np.int64)
    y_of = np.concatenate(placed_y) if placed_y else np.array([])
    rings = [(_event_mask(highlight, data.n_events)[data.event[placed]] if highlight is not None
              else np.zeros(len(placed), dtype=bool), HIGHLIGHT, "Search matches", 22, 2.5),
             (data.ids[placed] == selected, SELECTED, "Selected event", 26, 3)]
    for ringed, colour, name, size, width in rings:
        traces += _rings(data.x_text[placed][ringed], y_of[ringed], data.ids[placed][ringed], colour, name, size, width)
    top = len(shown) - 0.5
    bands = _era_bands(vocab.eras, top, max(end, pd.Timestamp(str(data.reach.max())) if len(data.reach) else end)) \
        if show_eras else []
    traces += bands
    tick_y = [lane_y[lane] for lane in shown] + ([top + 0.35, top + 0.85] if show_eras else [])
    tick_text = [lane_name(vocab.topics[lane].label) for lane in shown] + (
        ["ROK president", "U.S. president"] if show_eras else [])
    height = height or 150 + 58 * max(len(shown), 3)
    margin = dict(l=label_margin(tick_text, TIMELINE_FONT_SIZE), r=20, t=36 if density is not None else 30, b=96)
    y_range = [-0.6, top + (1.15 if show_eras else 0.1)]
    key = key_traces(data, vocab, placed, normal[placed], mode=mode, eras=bands, window=(start, end),
                     highlight=highlight is not None and bool(rings[0][0].any()))
    layout = dict(
        template=TEMPLATE,
        font=dict(family=FONT, size=TIMELINE_FONT_SIZE, color=INK),
        height=height,
        margin=margin,
        showlegend=bool(key),
        legend=dict(orientation="h", x=0, xanchor="left", y=-40 / max(height - margin["t"] - margin["b"], 1),
                    yanchor="top", font=dict(size=12), itemclick=False, itemdoubleclick=False,
                    traceorder="normal", bgcolor="rgba(0,0,0,0)"),
        hovermode="closest",
        hoverlabel=HOVER_LABEL,
        barmode="overlay",  # each administration band centred on its row, beside its label (grouped bars shift)
        uniformtext=dict(minsize=10, mode="hide"),
        xaxis=dict(type="date", range=[start.isoformat(), end.isoformat()], showgrid=True, gridcolor=GRID, zeroline=False),
        yaxis=dict(tickvals=tick_y, ticktext=tick_text, range=y_range,
                   showgrid=True, gridcolor="#eef1f5", zeroline=False, fixedrange=True, automargin=True),
        dragmode="pan",
        uirevision="timeline",
        annotations=[_density_note(len(np.unique(data.event[candidates])))] if density is not None else [],
        meta=dict(labels={**label_candidates(data, placed, y_of, normal[placed], (start, end)), "top": top},
                  eras=[band["meta"] for band in bands]),
    )
    return dict(data=traces + key, layout=layout)


EMPTY_MESSAGE = "No events match these filters"


def empty_timeline(start, end, height: int | None) -> dict:
    """The timeline when the filters keep nothing: the message where the chart would be, no lanes, no
    axis running from -1. `layout.meta.empty` tells the dashboard to show its Reset button there."""
    return dict(data=[], layout=dict(
        template=TEMPLATE, font=dict(family=FONT, size=TIMELINE_FONT_SIZE, color=INK), height=height or 324,
        margin=dict(l=20, r=20, t=30, b=36), showlegend=False, dragmode=False, uirevision="empty",
        xaxis=dict(type="date", range=[start.isoformat(), end.isoformat()], visible=False, fixedrange=True),
        yaxis=dict(visible=False, range=[0, 1], fixedrange=True),
        annotations=[dict(text=f"<b>{EMPTY_MESSAGE}</b>", xref="paper", yref="paper", x=0.5, y=0.62,
                          showarrow=False, font=dict(size=18, color=INK))],
        meta=dict(empty=True),
    ))


def _ms(values) -> list[float]:
    """Dates as milliseconds since 1970 (plotly's own date unit), for pixel arithmetic in the browser."""
    return (np.asarray(values, dtype="datetime64[ms]").astype(np.int64)).astype(float).tolist()


def label_candidates(data: PlotData, rows: np.ndarray, y: np.ndarray, normal: np.ndarray, window) -> dict:
    """What the label placer needs (see `alliance.labels`): every drawn marker (position, and the size of
    the box its symbol fills: obstacles), and the events to label in priority order (importance, then
    date), each as [label, its markers] or [label, its markers, compact label], so an event in several
    lanes is labelled once. `end` is where
    a row's bar (span or month/year) ends, or None: an event whose marker is left of the view but whose
    bar reaches into it is labelled at the view's edge. Dimmed (filtered-out) events are obstacles,
    never labelled."""
    order = np.lexsort((data.x[rows], -data.importance[rows]))
    events: dict[int, list] = {}
    for i in order.tolist():
        if normal[i]:
            row = rows[i]
            compact = data.compact[row]
            events.setdefault(int(data.event[row]), [str(data.label[row]), []] + ([compact] if compact else []))[1].append(i)
    bars = (data.end_text[rows] != None) | ~data.exact[rows]  # noqa: E711 - element-wise on an object array
    ends = [end if bar else None for end, bar in zip(_ms(data.reach[rows]), bars.tolist(), strict=True)]
    sizes = [round(size * SYMBOL_REACH.get(symbol, 1.0), 1)
             for size, symbol in zip(data.size[rows].tolist(), data.symbol[rows].tolist(), strict=True)]
    return dict(x=_ms(data.x[rows]), xs=data.x_text[rows].tolist(), y=[round(float(v), 3) for v in y], size=sizes,
                end=ends, events=list(events.values()), range=_ms(list(window)))


def _level_of_detail(data: PlotData, candidates: np.ndarray, kept: np.ndarray, start, end):
    """(rows drawn as markers, density counts or None) for the rows that could be drawn.

    Up to MAX_POINTS rows are all drawn, the whole record long, so panning shows more at once. Beyond
    that only rows near the window (itself, and half as wide again on each side, for dragging) are
    considered; if those still exceed MAX_POINTS, each lane shows a density strip and the most
    important events are marked on it.
    """
    if candidates.sum() <= MAX_POINTS:
        return candidates, None
    low, high = _near_bounds(start, end)
    near = candidates & _near(data, start, end)
    if near.sum() <= MAX_POINTS:
        return near, None
    counted = np.flatnonzero(near & kept)
    step = max((end - start) / DENSITY_BINS, pd.Timedelta(days=1))
    bins = ((data.x[counted] - low) // np.timedelta64(step)).astype(np.int64)
    n_bins = int((high - low) // np.timedelta64(step)) + 1
    edges = low + np.arange(n_bins) * np.timedelta64(step) + np.timedelta64(step) // 2
    counts = {lane: np.bincount(bins[data.lane[counted] == lane], minlength=n_bins)
              for lane in np.unique(data.lane[near]).tolist()}
    return _landmarks(data, counted), (_iso(edges.astype("datetime64[s]")), counts)


def _near_bounds(start, end) -> tuple[np.datetime64, np.datetime64]:
    """The window widened by half its width on each side (room to drag)."""
    margin = (end - start) / 2
    return np.datetime64(start - margin, "s"), np.datetime64(end + margin, "s")


def _near(data: PlotData, start, end) -> np.ndarray:
    """Rows near the window: reaching into `_near_bounds`."""
    low, high = _near_bounds(start, end)
    return (data.reach >= low) & (data.first <= high)


def _landmarks(data: PlotData, rows: np.ndarray) -> np.ndarray:
    """Mask of at most LANDMARKS rows: the most important first; a tier too big to fit is sampled evenly."""
    chosen = np.zeros(len(data.event), dtype=bool)
    room = LANDMARKS
    for level in (3, 2, 1):
        tier = rows[data.importance[rows] == level]
        if len(tier) > room:
            tier = tier[np.linspace(0, len(tier) - 1, room).astype(np.int64)]
        chosen[tier] = True
        room -= len(tier)
        if room <= 0:
            break
    return chosen


def _density_traces(density, vocab: Vocabulary, lane_y: dict) -> list[dict]:
    centres, counts = density
    peak = max((int(c.max()) for c in counts.values() if len(c)), default=1) or 1
    traces = []
    for lane, count in counts.items():
        if lane not in lane_y:
            continue
        topic = vocab.topics[lane]
        traces.append(dict(
            type="heatmap", name=_plain(f"{topic.label} density"), x=centres.tolist(), y=[lane_y[lane]],
            z=[[int(c) if c else None for c in count.tolist()]], zmin=0, zmax=peak, showscale=False,
            colorscale=[[0, "#ffffff"], [1, topic.colour]], opacity=0.6, xhoverformat="%b %Y",
            hovertemplate=f"{html.escape(topic.label)}<br>%{{x}}: %{{z}} event(s)<extra></extra>",
        ))
    return traces


def _density_note(count: int) -> dict:
    return dict(text=f"{count:,} events: shading shows how many fall in each period, markers the most important. "
                     "Narrow the time window or filter to see every event.",
                xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom", yshift=8, showarrow=False,
                font=dict(size=12, color=MUTED))


def _lane_traces(data: PlotData, topic, rows: np.ndarray, y: np.ndarray, normal: np.ndarray) -> list[dict]:
    """Spans, precision bars and markers of one lane; a filtered-out event in dim mode is grey in all three."""
    traces = []
    exact = data.exact[rows]
    spans = data.end_text[rows] != None  # noqa: E711 - element-wise test on an object array
    for chosen, ends, width, opacity, what in ((spans, data.end_text, 6, 0.35, "spans"),
                                               (~exact, data.last_text, 1.5, 0.8, "precision")):
        for look, colour, suffix in ((normal, topic.colour, ""), (~normal, DIM, " (dimmed)")):
            part = chosen & look
            if part.any():
                xs, ys = _segments(data.first_text[rows][part], ends[rows][part], y[part])
                traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", line=dict(color=colour, width=width),
                                   opacity=opacity, hoverinfo="skip", showlegend=False,
                                   name=_plain(f"{topic.label} {what}{suffix}")))
    colour = np.where(normal, topic.colour, DIM)
    traces.append(dict(
        type="scatter", name=_plain(topic.label), x=data.x_text[rows].tolist(), y=y.tolist(), mode="markers",
        marker=dict(
            symbol=_uniform(data.symbol[rows]),
            size=_uniform(data.size[rows]),
            color=_uniform(np.where(exact, colour, "white")),  # hollow: white inside a thick coloured outline
            line=dict(color=_uniform(np.where(exact, "white", colour)), width=_uniform(np.where(exact, 1, 2))),
            opacity=_uniform(np.where(normal, 0.92, 0.55)),
        ),
        customdata=data.ids[rows].tolist(),
        hovertext=data.hover[rows].tolist(),
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False,
    ))
    return traces


def key_traces(data: PlotData, vocab: Vocabulary, rows: np.ndarray, normal: np.ndarray, *, mode: str, eras: list,
               window, highlight: bool) -> list[dict]:
    """The key: legend-only traces explaining each encoding in use among the markers in the window.

    Shape → kind (only the kinds in view), size → importance, hollow → month or year only, thick bar
    → span, hatched band → acting president, grey → filtered out (dim mode), ring → search match.
    """
    low, high = np.datetime64(window[0], "s"), np.datetime64(window[1], "s")
    seen = rows[(data.reach[rows] >= low) & (data.first[rows] <= high)]
    kinds = {str(k) for k in data.symbol[seen]}
    Style = dict[str, object] | None  # a key entry's marker, and its line
    entries: list[tuple[str, str, Style, Style]] = [("Shape: kind", k.label, dict(symbol=k.symbol, size=10, color=MUTED), None)
               for k in vocab.kinds if k.symbol in kinds]
    names = {3: "size: landmark", 2: "size: normal", 1: "size: minor"}
    entries += [("Size: importance", names[level], dict(symbol="circle", size=MARKER_SIZE[level], color=MUTED), None)
                for level in (3, 2, 1) if (data.importance[seen] == level).any()]
    if (~data.exact[seen]).any():
        entries.append(("Date", "hollow: month or year only",
                        dict(symbol="circle", size=10, color="white", line=dict(color=MUTED, width=2)),
                        dict(color=MUTED, width=1.5)))
    if (data.end_text[seen] != None).any():  # noqa: E711
        entries.append(("Date", "thick bar: span", None, dict(color=MUTED, width=6)))
    if mode == "dim" and not normal[np.isin(rows, seen)].all():
        entries.append(("Date", "grey: filtered out", dict(symbol="circle", size=10, color=DIM), None))
    if highlight:
        entries.append(("Date", "ring: search match", dict(symbol="circle-open", size=14, color=HIGHLIGHT,
                                                            line=dict(width=2.5)), None))
    traces = []
    for group, name, marker, line in entries:
        trace = dict(type="scatter", x=[None], y=[None], name=name, legendgroup=group, showlegend=True,
                     hoverinfo="skip", mode="+".join(m for m, v in (("lines", line), ("markers", marker)) if v))
        if marker:
            trace["marker"] = marker
        if line:
            trace["line"] = line
        traces.append(trace)
    acting = any(band["meta"]["acting"][i] and band["meta"]["x0"][i] <= _ms([high])[0]
                 and band["meta"]["x1"][i] >= _ms([low])[0] for band in eras for i in range(len(band["meta"]["x0"])))
    if acting:
        traces.append(dict(type="bar", x=[None], y=[None], name="hatched: acting president", showlegend=True,
                           legendgroup="Administrations",
                           marker=dict(color=ERA_COLOURS["US"][0], pattern=dict(shape="/", fgcolor="#8a96a3", size=6)),
                           hoverinfo="skip"))
    return traces


def _uniform(values: np.ndarray):
    """One value for the whole trace when every point shares it: a smaller figure to send and to read."""
    if len(values) and (values == values[0]).all():
        first = values[0]
        return first.item() if isinstance(first, np.generic) else first
    return values.tolist()


def _rings(x, y, ids, colour: str, name: str, size: int, width: float) -> list[dict]:
    if not len(ids):
        return []
    return [dict(type="scatter", x=x.tolist(), y=y.tolist(), mode="markers", name=name, hoverinfo="skip",
                 customdata=ids.tolist(), showlegend=False,
                 marker=dict(symbol="circle-open", size=size, color=colour, line=dict(width=width)))]


def _era_bands(eras: tuple[Era, ...], top: float, until: pd.Timestamp) -> list[dict]:
    """U.S. and ROK administrations as two rows of bars; acting presidents hatched.

    The bars carry no text: a name centred in the whole term would sit off screen when zoomed in and
    be clipped at the edges, so each band's `meta` (term ends, row, name) lets the label placer put
    the name in the visible part of the term, or leave it out where it does not fit. A term still in
    office runs `until` (the later of the window's end and the record's last date).
    """
    bands = []
    for country, y in (("US", top + 0.85), ("ROK", top + 0.35)):
        terms = [e for e in eras if e.country == country]
        starts = [pd.Timestamp(e.start.first) for e in terms]
        ends = [pd.Timestamp(e.end.first) if e.end else max(until, pd.Timestamp(e.start.first))
                for e in terms]
        light, dark = ERA_COLOURS[country]
        bands.append(dict(
            type="bar", orientation="h", base=[s.isoformat() for s in starts],
            x=[(b - a).total_seconds() * 1000 for a, b in zip(starts, ends, strict=True)],  # duration in ms
            y=[y] * len(terms), width=0.42, name=f"{country} administrations",
            marker=dict(color=[light if i % 2 else dark for i in range(len(terms))],
                        line=dict(color="white", width=1),
                        pattern=dict(shape=["/" if e.acting else "" for e in terms], fgcolor="#8a96a3", size=6)),
            customdata=[f"era:{e.id}" for e in terms],
            hovertext=[f"{html.escape(e.name)}{' (acting)' if e.acting else ''}<br>{e.start.label()} – "
                       f"{e.end.label() if e.end else 'in office'}" for e in terms],
            hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
            meta=dict(x0=_ms(starts), x1=_ms(ends), y=y, text=[e.label for e in terms], acting=[e.acting for e in terms]),
        ))
    return bands


def _lane_counts(data: PlotData, rows: np.ndarray, groups: np.ndarray, n_groups: int, n_lanes: int) -> np.ndarray:
    """Rows per (issue area, group) among `rows` (a mask or indices of rows); groups outside 0..n_groups-1 are not counted."""
    rows = np.flatnonzero(rows) if rows.dtype == bool else rows
    rows = rows[(groups[rows] >= 0) & (groups[rows] < n_groups)]
    cells = data.lane[rows] * n_groups + groups[rows]
    return np.bincount(cells, minlength=n_lanes * n_groups).reshape(n_lanes, n_groups)


def primary_rows(data: PlotData, rows: np.ndarray) -> np.ndarray:
    """Indices of one row per event among the `rows` mask: the area the event lists first among them.

    A chart that stacks or sums areas must count each event once; its first-listed area is the one
    its curator put first, so the split by area stays honest (the parts add up to the events).
    """
    candidates = np.flatnonzero(rows)
    candidates = candidates[np.lexsort((data.rank[candidates], data.event[candidates]))]
    _, first = np.unique(data.event[candidates], return_index=True)
    return candidates[first]


def _shown_lanes(vocab: Vocabulary, lanes) -> list[int]:
    return [lane for lane, topic in enumerate(vocab.topics) if not lanes or topic.id in lanes]


def topic_year_figure(data: PlotData, vocab: Vocabulary, *, keep=None, lanes=(), years=None, height: int = 300) -> dict:
    """Events per year: a bar is as tall as the number of distinct events that began that year.

    Each event is counted once, in the colour of its first-listed issue area among those in view,
    so the stack adds up to the events; the hover lists how many of the year's events carry each
    area (an event can carry several). `years` (first, last) is the time window: the axis spans it,
    as the timeline above does; events that began before it and run into it are counted in a note.
    Each bar carries `topic|year` to filter on click.
    """
    first_shown, last_shown = years or ((int(data.year.min()), int(data.year.max())) if len(data.year) else (2000, 2000))
    shown = _shown_lanes(vocab, lanes)
    in_view = _event_mask(keep, data.n_events)[data.event] & np.isin(data.lane, shown)
    primary = primary_rows(data, in_view)
    earlier = int((data.year[primary] < first_shown).sum())
    primary = primary[(data.year[primary] >= first_shown) & (data.year[primary] <= last_shown)]
    n_years = last_shown - first_shown + 1
    stacked = _lane_counts(data, primary, data.year - first_shown, n_years, len(vocab.topics))
    tags = _lane_counts(data, in_view, data.year - first_shown, n_years, len(vocab.topics))
    totals = stacked.sum(axis=0)
    hover = [f"<b>{first_shown + i}: {int(totals[i])} event{'s' if totals[i] != 1 else ''}</b><br>"
             "Tagged with each area (an event can have several):<br>"
             + "<br>".join(f"{html.escape(vocab.topics[lane].label)}: {int(tags[lane, i])}"
                           for lane in shown if tags[lane, i])
             for i in range(n_years)]
    traces = []
    for lane in shown:
        topic = vocab.topics[lane]
        index = np.flatnonzero(stacked[lane])
        if not len(index):
            continue
        traces.append(dict(
            type="bar", name=_plain(topic.label), x=(index + first_shown).tolist(), y=stacked[lane][index].tolist(),
            width=0.8, marker=dict(color=topic.colour, line=dict(width=0)),
            customdata=[f"{topic.id}|{y}" for y in (index + first_shown).tolist()],
            hovertext=[f"{hover[i]}<br>In this colour ({html.escape(topic.label)} listed first): {int(stacked[lane, i])}"
                       for i in index.tolist()],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    peak = int(totals.max()) if len(totals) else 0
    notes = []
    if earlier:
        notes.append(f"Not in the bars: {earlier} event{'s' if earlier != 1 else ''} that began before {first_shown} "
                     "and run into the window.")
    if not totals.any():
        notes.append("No events in view.")
    return dict(data=traces, layout=dict(
        template=TEMPLATE, barmode="stack", height=height,
        font=dict(family=FONT, size=12, color=INK), margin=dict(l=10, r=10, t=10, b=30),
        legend=dict(orientation="v", yanchor="top", y=1.0, x=1.01, font=dict(size=11), traceorder="normal",
                    title=dict(text="Colour: each event's<br>first-listed issue area", font=dict(size=11))),
        xaxis=dict(range=[first_shown - 0.5, last_shown + 0.5], showgrid=False, tickformat="d",
                   dtick=next((step for step in (1, 2, 5) if (last_shown - first_shown) / step <= 12), 10)),
        yaxis=dict(title=dict(text="events (each counted once)"), gridcolor=GRID, fixedrange=True, tickformat="d",
                   rangemode="tozero", **({"dtick": 1} if peak <= 8 else {})),  # counts: never a tick at 0.5
        annotations=[dict(text=" ".join(notes), xref="paper", yref="paper", x=1, y=1, xanchor="right", yanchor="top",
                          showarrow=False, font=dict(size=11, color=MUTED))] if notes else [],
        dragmode=False,
    ))


COUNTRY_NAMES = {"US": "U.S.", "ROK": "ROK"}


def _overlaps(era: Era, first_year: int, last_year: int) -> bool:
    start, end = era.start.first, era.end.first if era.end else None
    return start.year <= last_year and (end is None or end > date(first_year, 1, 1))


def topic_matrix_figure(data: PlotData, vocab: Vocabulary, *, keep=None, lanes=(), country: str = "US", years=None,
                        height: int = 320) -> dict:
    """Issue area × administration: how many events in view carry each area, by who was in office.

    Rows are the areas in view (those chosen, without the empty ones), columns the `country`'s
    administrations overlapping the time window `years`. Rows are areas, so an event in two areas
    counts in both rows (the hover says so). Each cell carries `topic|era id` to filter on click.
    """
    first_shown, last_shown = years or ((int(data.year.min()), int(data.year.max())) if len(data.year) else (2000, 2000))
    eras = full_terms(vocab.eras, country)
    chosen = _shown_lanes(vocab, lanes)
    in_view = _event_mask(keep, data.n_events)[data.event] & np.isin(data.lane, chosen)
    counts = _lane_counts(data, in_view, data.eras[country], len(eras), len(vocab.topics))
    columns = [i for i, era in enumerate(eras) if _overlaps(era, first_shown, last_shown)]
    rows = [lane for lane in chosen if counts[lane].any()] or chosen
    z = counts[np.ix_(rows, columns)] if rows and columns else np.zeros((len(rows), len(columns)), dtype=np.int64)
    outside = len(np.unique(data.event[in_view])) - len(np.unique(data.event[in_view & np.isin(data.eras[country], columns)]))
    who = COUNTRY_NAMES[country]
    notes = [f"{outside} event{'s' if outside != 1 else ''} in view began under no administration shown."] if outside else []
    if not z.any():
        notes.append("No events in view.")
    labels = [_plain(f"{eras[i].label} {eras[i].start.first.year}") for i in columns]
    return dict(data=[dict(
        type="heatmap", z=z.tolist(), x=labels, y=[_plain(vocab.topics[lane].label) for lane in rows], zmin=0,
        zmax=max(int(z.max()) if z.size else 0, 1),
        colorscale=[[0, "#ffffff"], [0.001, "#deebf7"], [1, "#08306b"]],
        text=[[str(v) if v else "" for v in row] for row in z.tolist()], texttemplate="%{text}", textfont=dict(size=11),
        customdata=[[f"{vocab.topics[lane].id}|{eras[i].id}" for i in columns] for lane in rows],
        hovertemplate=f"%{{y}} under %{{x}} ({who} president): %{{z}} event(s)"
                      "<br>An event in two areas counts in each row.<extra></extra>",
        showscale=False, xgap=2, ygap=2,
    )], layout=dict(
        template=TEMPLATE, height=height, font=dict(family=FONT, size=12, color=INK),
        margin=dict(l=10, r=10, t=28 if notes else 10, b=60), plot_bgcolor="#ffffff",  # room for the note above
        xaxis=dict(tickangle=-45, fixedrange=True, showgrid=False,
                   title=dict(text=f"{who} president when the event began<br>(an event in two areas counts in each row)",
                              standoff=4)),
        yaxis=dict(autorange="reversed", fixedrange=True, automargin=True, showgrid=False),
        annotations=[dict(text=" ".join(notes), xref="paper", yref="paper", x=1, y=1, xanchor="right", yanchor="bottom",
                          showarrow=False, font=dict(size=11, color=MUTED))] if notes else [],
        dragmode=False,
    ))


@per_record
def plot_data_of(record) -> PlotData:
    """The record's PlotData, computed on first use and kept beside the (immutable) record."""
    return plot_data(record.frame, record.vocab)
