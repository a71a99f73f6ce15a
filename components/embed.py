"""`/embed?view=timeline|topics|matrix&<dashboard query>`: a chart-only page for an iframe.

No controls, responsive, interactive hover; plotly.js comes from this server (nothing from the
internet). Any bad parameter falls back to a default, never an error page.
"""

from __future__ import annotations

from pathlib import Path

import plotly
from flask import Flask, Response, request

from alliance.export import html_bytes, source_line
from alliance.figures import timeline_figure, topic_matrix_figure, topic_year_figure
from alliance.record import Record
from alliance.view import year_window

from .state import parse

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def embed_figure(record: Record, search: str, view: str):
    query = parse(record, search)
    keep = query.mask(record.frame)
    shown = record.frame[keep]
    if view == "topics":
        figure = topic_year_figure(shown, record.vocab, lanes=query.topics)
    elif view == "matrix":
        figure = topic_matrix_figure(shown, record.vocab)
    else:
        start, end = year_window(query)
        figure = timeline_figure(record.frame, record.vocab, keep=keep, mode=query.mode,
                                 lanes=tuple(t for t in query.topics if t != "none"), selected=query.event,
                                 window=(f"{start}-01-01", f"{end}-12-31"))
    figure.add_annotation(text=source_line(record, query, len(shown)).replace("<", "&lt;"), xref="paper", yref="paper",
                          x=0, y=0, yshift=-28, xanchor="left", yanchor="top", showarrow=False,
                          font=dict(size=11, color="#52606d"))
    return figure.update_layout(margin=dict(b=60))


def register(server: Flask, record: Record) -> None:
    @server.route("/embed")
    def embed() -> Response:
        view = request.args.get("view", "timeline")
        figure = embed_figure(record, request.query_string.decode("utf-8", "replace"), view)
        return Response(html_bytes(figure, plotlyjs="/embed/plotly.min.js", controls=False), mimetype="text/html")

    @server.route("/embed/plotly.min.js")
    def embed_plotly() -> Response:
        response = Response(PLOTLY_JS.read_bytes(), mimetype="application/javascript")
        response.cache_control.max_age = 86400
        response.cache_control.public = True
        return response
