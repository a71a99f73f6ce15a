"""Frames to plotly figures. Pure: the same frame and vocabulary always give the same figure.

The timeline has one swimlane per issue area (vocabulary order, top to bottom). An event in
several areas appears in each of its lanes, so a lane read on its own is complete. Colour marks
the lane, shape the kind, size the importance, so no meaning rests on colour alone.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from .record import Vocabulary

FONT = "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
MARKER_SIZE = {1: 8, 2: 11, 3: 16}
_PRECISION_NOTE = {"day": "", "month": " (month known)", "year": " (year known)"}


def hover_text(row, topic_labels: dict[str, str]) -> str:
    """Hover content; record text is escaped because plotly renders a subset of HTML in labels."""
    areas = ", ".join(topic_labels.get(t, t) for t in row.topics)
    return (f"<b>{html.escape(row.title)}</b><br>{html.escape(row.date_label)}"
            f"{_PRECISION_NOTE[row.precision]}<br>{html.escape(areas)}")


def lane_rows(frame: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    """One row per (event, issue area) pair: the events as the swimlanes show them."""
    exploded = frame.explode("topics").rename(columns={"topics": "lane"})
    exploded["topics"] = frame.loc[exploded.index, "topics"]
    order = {t.id: i for i, t in enumerate(vocab.topics)}
    return exploded.assign(lane_order=exploded["lane"].map(order)).sort_values(["lane_order", "start"])


def timeline_figure(frame: pd.DataFrame, vocab: Vocabulary, *, lanes: list[str] | tuple[str, ...] = (),
                    height: int | None = None) -> go.Figure:
    """Swimlane timeline of `frame`: one trace per issue area, markers shaped by kind.

    `lanes` limits the swimlanes to those issue areas (all when empty): filtering to two areas
    shows two lanes, not the filtered events scattered over every lane they also belong to.
    """
    topic_labels = {t.id: t.label for t in vocab.topics}
    symbols = {k.id: k.symbol for k in vocab.kinds}
    rows = lane_rows(frame, vocab)
    shown_topics = [t for t in vocab.topics if not lanes or t.id in lanes]
    figure = go.Figure()
    for topic in shown_topics:
        lane = rows[rows["lane"] == topic.id]
        figure.add_trace(go.Scatter(
            name=topic.label,
            x=lane["start"],
            y=[topic.label] * len(lane),
            mode="markers",
            marker=dict(
                color=topic.colour,
                symbol=[symbols[str(k)] for k in lane["kind"]],
                size=[MARKER_SIZE[int(i)] for i in lane["importance"]],
                line=dict(width=1, color="white"),
                opacity=0.9,
            ),
            customdata=lane["id"],
            hovertext=[hover_text(row, topic_labels) for row in lane.itertuples()],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    lane_labels = [t.label for t in shown_topics]
    figure.update_layout(
        template="plotly_white",
        font=dict(family=FONT, size=13, color="#1f2933"),
        height=height or 120 + 52 * max(len(lane_labels), 3),
        margin=dict(l=10, r=20, t=10, b=40),
        showlegend=False,
        hovermode="closest",
        hoverlabel=dict(bgcolor="white", font_size=13),
        xaxis=dict(type="date", range=["1949-06-01", "2026-12-31"], showgrid=True, gridcolor="#e5e9f0",
                   dtick="M120", tickformat="%Y", rangeslider=dict(visible=False)),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(lane_labels)),
                   range=[-0.6, len(lane_labels) - 0.4],
                   showgrid=True, gridcolor="#eef1f5", fixedrange=True, automargin=True),
        dragmode="pan",
    )
    return figure
