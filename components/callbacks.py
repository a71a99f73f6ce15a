"""Callbacks: unpack inputs, call the pure core, return. Registered on the app they are given."""

from __future__ import annotations

from dash import Dash, Input, Output

from alliance.figures import timeline_figure
from alliance.query import Query
from alliance.record import Record

from . import ids
from .layout import count_text


def filter_view(record: Record, selected_topics: list[str] | None):
    """The timeline figure and count for the chosen issue areas (all areas when all are ticked)."""
    all_topics = [t.id for t in record.vocab.topics]
    chosen = [t for t in all_topics if t in (selected_topics or [])]
    query = Query(topics=tuple(chosen) if len(chosen) < len(all_topics) else ())
    if not chosen:
        shown = record.frame.iloc[0:0]
    else:
        shown = query.apply(record.frame)
    return timeline_figure(shown, record.vocab, lanes=query.topics), count_text(len(shown), len(record.frame))


def register(app: Dash, record: Record) -> None:
    @app.callback(Output(ids.TIMELINE, "figure"), Output(ids.EVENT_COUNT, "children"),
                  Input(ids.TOPIC_FILTER, "value"), prevent_initial_call=True)
    def _on_topics(selected):
        return filter_view(record, selected)
