"""Frames to plotly figures. Pure: the same inputs always give the same figure.

The timeline has one swimlane per issue area (vocabulary order, top to bottom). An event in several
areas appears in each of its lanes, so a lane read on its own is complete. Colour marks the lane,
shape the kind, size the importance, so no meaning rests on colour alone. An event known only to
the month or year is drawn hollow, at the middle of its period, with a thin bar across the whole
period, so it never looks as exact as a dated one. Spans are drawn as bars; U.S. and ROK
administrations as labelled bands above the lanes.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .record import Vocabulary
from .schema import Era

FONT = "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
INK, MUTED, GRID, DIM = "#1f2933", "#52606d", "#e5e9f0", "#c3cad4"
HIGHLIGHT, SELECTED = "#E69F00", "#111111"
MARKER_SIZE = {1: 8, 2: 11, 3: 16}
SUBROW_OFFSETS = (0.0, 0.24, -0.24, 0.12, -0.12)
FULL_RANGE = ("1948-01-01", "2026-12-31")
ERA_COLOURS = {"US": ("#dbe7f3", "#c4d7ea"), "ROK": ("#e4efe6", "#cfe3d3")}
_PRECISION_NOTE = {"day": "", "month": " (only the month is known)", "year": " (only the year is known)"}


def hover_text(row, topic_labels: dict[str, str], kind_label: str) -> str:
    """Hover content; record text is escaped because plotly renders a subset of HTML in labels."""
    areas = ", ".join(topic_labels.get(t, t) for t in row.topics)
    return (f"<b>{html.escape(row.title)}</b><br>{html.escape(row.date_label)}{_PRECISION_NOTE[row.precision]}"
            f"<br>{html.escape(kind_label)} · {html.escape(areas)}")


def visible_lanes(frame: pd.DataFrame, vocab: Vocabulary, keep: pd.Series, lanes, mode: str) -> list:
    """Lanes to draw: those asked for (all if none), minus those left empty by the filters."""
    wanted = [t for t in vocab.topics if not lanes or t.id in lanes]
    drawn = frame if mode == "dim" else frame[keep]
    present = {t for topics in drawn["topics"] for t in topics}
    return [t for t in wanted if t.id in present] or wanted


def lane_rows(frame: pd.DataFrame, lane_ids: list[str]) -> pd.DataFrame:
    """One row per (event, lane) pair, in lane order then date order."""
    exploded = frame.explode("topics").rename(columns={"topics": "lane"})
    exploded = exploded[exploded["lane"].isin(lane_ids)]
    exploded["topics"] = frame.loc[exploded.index, "topics"]
    order = {lane: i for i, lane in enumerate(lane_ids)}
    return exploded.assign(lane_order=exploded["lane"].map(order)).sort_values(["lane_order", "start"], kind="stable")


def _positions(rows: pd.DataFrame) -> pd.Series:
    """Where a marker sits: its date, or the middle of its month or year."""
    return rows["start"] + (rows["date_last"] - rows["start"]) / 2


def pack_subrows(x: pd.Series, min_gap_days: float) -> np.ndarray:
    """Greedy vertical offsets inside one lane so markers closer than `min_gap_days` do not overlap."""
    days = x.to_numpy(dtype="datetime64[D]").astype(np.int64)
    last = np.full(len(SUBROW_OFFSETS), -np.inf)
    offsets = np.zeros(len(days))
    for i, day in enumerate(days):
        free = np.flatnonzero(day - last >= min_gap_days)
        row = int(free[0]) if len(free) else int(np.argmin(last))
        last[row] = day
        offsets[i] = SUBROW_OFFSETS[row]
    return offsets


def _window(window) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = window or FULL_RANGE
    return pd.Timestamp(start), pd.Timestamp(end)


def _segments(x0, x1, y) -> tuple[list, list]:
    xs, ys = [], []
    for a, b, yy in zip(x0, x1, y, strict=False):
        xs += [a, b, None]
        ys += [yy, yy, None]
    return xs, ys


def timeline_figure(frame: pd.DataFrame, vocab: Vocabulary, *, keep: pd.Series | None = None, mode: str = "hide",
                    lanes=(), selected: str | None = None, highlight=(), window=None, show_eras: bool = True,
                    height: int | None = None) -> go.Figure:
    """The swimlane timeline.

    `keep` marks the events the filters keep (all when None); `mode` hides the others or draws
    them dimmed. `lanes` restricts the swimlanes; `selected` rings one event, `highlight` rings
    search matches, `window` is the visible time range (start, end).
    """
    keep = pd.Series(True, index=frame.index) if keep is None else keep
    drawn = frame if mode == "dim" else frame[keep]
    shown = visible_lanes(frame, vocab, keep, lanes, mode)
    lane_y = {t.id: len(shown) - 1 - i for i, t in enumerate(shown)}
    start, end = _window(window)
    min_gap = (end - start).days * 0.012
    rows = lane_rows(drawn, [t.id for t in shown])
    rows["x"] = _positions(rows)
    rows["kept"] = keep.reindex(rows.index).to_numpy()
    topic_labels = {t.id: t.label for t in vocab.topics}
    kinds = {k.id: k for k in vocab.kinds}
    traces: list[dict] = []
    marks = []
    for topic in shown:
        lane = rows[rows["lane"] == topic.id]
        y = lane_y[topic.id] + pack_subrows(lane["x"], min_gap)
        lane = lane.assign(y=y)
        marks.append(lane)
        colour = np.where(lane["kept"], topic.colour, DIM)
        spans = lane[lane["end"].notna()]
        if len(spans):
            xs, ys = _segments(spans["start"], spans["end"], spans["y"])
            traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", line=dict(color=topic.colour, width=6),
                               opacity=0.35, hoverinfo="skip", showlegend=False, name=f"{topic.label} spans"))
        vague = lane[lane["precision"] != "day"]
        if len(vague):
            xs, ys = _segments(vague["start"], vague["date_last"], vague["y"])
            traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", line=dict(color=topic.colour, width=1.5),
                               opacity=0.8, hoverinfo="skip", showlegend=False, name=f"{topic.label} precision"))
        exact = (lane["precision"] == "day").to_numpy()
        traces.append(dict(
            type="scatter", name=topic.label,
            x=lane["x"], y=lane["y"], mode="markers",
            marker=dict(
                symbol=[kinds[str(k)].symbol for k in lane["kind"]],
                size=[MARKER_SIZE[int(i)] for i in lane["importance"]],
                color=np.where(exact, colour, "white"),
                line=dict(color=np.where(exact, "white", colour), width=np.where(exact, 1, 2)),
                opacity=np.where(lane["kept"], 0.92, 0.55),
            ),
            customdata=lane["id"],
            hovertext=[hover_text(row, topic_labels, kinds[str(row.kind)].label) for row in lane.itertuples()],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        ))
    placed = pd.concat(marks) if marks else rows.assign(y=[])
    traces += _rings(placed, highlight, HIGHLIGHT, "Search matches", 22, 2.5)
    traces += _rings(placed, [selected] if selected else [], SELECTED, "Selected event", 26, 3)
    top = len(shown) - 0.5
    if show_eras:
        traces += _era_bands(vocab.eras, top)
    tick_y = [lane_y[t.id] for t in shown] + ([top + 0.35, top + 0.85] if show_eras else [])
    tick_text = [t.label for t in shown] + (["ROK president", "U.S. president"] if show_eras else [])
    layout = dict(
        template="plotly_white",
        font=dict(family=FONT, size=13, color=INK),
        height=height or 150 + 58 * max(len(shown), 3),
        margin=dict(l=10, r=20, t=10, b=36),
        showlegend=False,
        hovermode="closest",
        hoverlabel=dict(bgcolor="white", font_size=13, bordercolor=GRID),
        uniformtext=dict(minsize=10, mode="hide"),
        xaxis=dict(type="date", range=[start, end], showgrid=True, gridcolor=GRID, zeroline=False),
        yaxis=dict(tickvals=tick_y, ticktext=tick_text, range=[-0.6, top + (1.15 if show_eras else 0.1)],
                   showgrid=True, gridcolor="#eef1f5", zeroline=False, fixedrange=True, automargin=True),
        dragmode="pan",
        uirevision="timeline",
    )
    # Traces are built from plain data we control, so plotly's per-property validation (most of the
    # build time) is skipped; the layout is small and still validated.
    figure = go.Figure(data=traces, _validate=False)
    return figure.update_layout(**layout)


def _rings(placed: pd.DataFrame, ids, colour: str, name: str, size: int, width: float) -> list[dict]:
    rings = placed[placed["id"].isin(list(ids))] if len(ids) else placed.iloc[0:0]
    if not len(rings):
        return []
    return [dict(type="scatter", x=rings["x"], y=rings["y"], mode="markers", name=name, hoverinfo="skip",
                 customdata=rings["id"], showlegend=False,
                 marker=dict(symbol="circle-open", size=size, color=colour, line=dict(width=width)))]


def _era_bands(eras: tuple[Era, ...], top: float) -> list[dict]:
    """U.S. and ROK administrations as two rows of labelled bars; acting presidents hatched."""
    bands = []
    for country, y in (("US", top + 0.85), ("ROK", top + 0.35)):
        terms = [e for e in eras if e.country == country]
        starts = [pd.Timestamp(e.start.first) for e in terms]
        ends = [pd.Timestamp(e.end.first) if e.end else pd.Timestamp.today().normalize() for e in terms]
        light, dark = ERA_COLOURS[country]
        bands.append(dict(
            type="bar", orientation="h", base=starts,
            x=[(b - a).total_seconds() * 1000 for a, b in zip(starts, ends, strict=True)],  # duration in ms
            y=[y] * len(terms), width=0.42, name=f"{country} administrations",
            marker=dict(color=[light if i % 2 else dark for i in range(len(terms))],
                        line=dict(color="white", width=1),
                        pattern=dict(shape=["/" if e.acting else "" for e in terms], fgcolor="#8a96a3", size=6)),
            text=[html.escape(e.label + (" (acting)" if e.acting else "")) for e in terms],
            textposition="inside", insidetextanchor="middle", textangle=0, textfont=dict(size=11, color=INK),
            customdata=[f"era:{country}:{i}" for i in range(len(terms))],
            hovertext=[f"{html.escape(e.name)}{' (acting)' if e.acting else ''}<br>{e.start.label()} – "
                       f"{e.end.label() if e.end else 'in office'}" for e in terms],
            hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
        ))
    return bands


def topic_year_figure(frame: pd.DataFrame, vocab: Vocabulary, *, lanes=(), height: int = 300) -> go.Figure:
    """Events per year, stacked by issue area. Each bar carries `topic|year` to filter on click."""
    rows = frame.explode("topics")
    counts = rows.groupby(["topics", "year"]).size()
    traces = []
    for topic in vocab.topics:
        if lanes and topic.id not in lanes:
            continue
        series = counts[topic.id] if topic.id in counts.index.get_level_values(0) else pd.Series(dtype=int)
        years = [int(y) for y in series.index]
        traces.append(dict(
            type="bar", name=topic.label, x=years, y=series.to_numpy(), marker=dict(color=topic.colour, line=dict(width=0)),
            customdata=[f"{topic.id}|{y}" for y in years],
            hovertemplate=f"{html.escape(topic.label)}<br>%{{x}}: %{{y}} event(s)<extra></extra>",
        ))
    figure = go.Figure(data=traces, _validate=False)  # plain data we control: skip per-property validation
    figure.update_layout(
        template="plotly_white", barmode="stack", bargap=0.15, height=height,
        font=dict(family=FONT, size=12, color=INK), margin=dict(l=10, r=10, t=10, b=30),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, font=dict(size=11)),
        xaxis=dict(range=[1947.5, 2026.5], showgrid=False, dtick=10),
        yaxis=dict(title="events", gridcolor=GRID, fixedrange=True),
        dragmode=False,
    )
    return figure


def era_of(starts: pd.Series, eras: list[Era]) -> pd.Series:
    """Index of the administration in office on each start date (-1 if none)."""
    result = pd.Series(-1, index=starts.index)
    for i, era in enumerate(eras):
        end = pd.Timestamp(era.end.first) if era.end else pd.Timestamp.max
        result[(starts >= pd.Timestamp(era.start.first)) & (starts < end)] = i
    return result


def topic_matrix_figure(frame: pd.DataFrame, vocab: Vocabulary, *, country: str = "US", height: int = 320) -> go.Figure:
    """Issue area × administration counts. Each cell carries `topic|era index` to filter on click."""
    eras = [e for e in vocab.eras if e.country == country and not e.acting]
    rows = frame.explode("topics")
    rows = rows.assign(era=era_of(rows["start"], eras).to_numpy())
    counts = rows[rows["era"] >= 0].groupby(["topics", "era"]).size()
    topics = list(vocab.topics)
    z = [[int(counts.get((t.id, i), 0)) for i in range(len(eras))] for t in topics]
    labels = [f"{e.label} {e.start.first.year}" for e in eras]
    figure = go.Figure(data=[dict(
        type="heatmap", z=z, x=labels, y=[t.label for t in topics],
        colorscale=[[0, "#f7f9fc"], [0.15, "#c6dbef"], [1, "#08306b"]],
        text=[[str(v) if v else "" for v in row] for row in z], texttemplate="%{text}", textfont=dict(size=11),
        customdata=[[f"{t.id}|{i}" for i in range(len(eras))] for t in topics],
        hovertemplate="%{y}<br>%{x}: %{z} event(s)<extra></extra>", showscale=False, xgap=2, ygap=2,
    )], _validate=False)
    figure.update_layout(
        template="plotly_white", height=height, font=dict(family=FONT, size=12, color=INK),
        margin=dict(l=10, r=10, t=10, b=60), xaxis=dict(tickangle=-45, fixedrange=True),
        yaxis=dict(autorange="reversed", fixedrange=True, automargin=True), dragmode=False,
    )
    return figure
