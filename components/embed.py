"""`/embed?view=timeline|topics|matrix&<dashboard query>`: a chart-only page for an iframe.

No controls, responsive, interactive hover; plotly.js comes from this server (nothing from the
internet). Any bad parameter falls back to a default, never an error page.
"""

from __future__ import annotations

from pathlib import Path

import plotly
from flask import Flask, Response, request

from alliance.export import html_bytes, source_line, view_figure
from alliance.labels import annotate
from alliance.record import Record

from .state import parse

EMBED_WIDTH = 1200
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def embed_figure(record: Record, search: str, view: str) -> dict:
    query = parse(record, search)
    figure = view_figure(record, query, view)
    shown = int(query.mask(record.frame).sum())
    layout = figure["layout"]
    below = 150 if view == "timeline" else 60  # the timeline's key sits between the axis and the source line
    layout["annotations"] = [*layout.get("annotations", []), dict(
        text=source_line(record, query, shown).replace("<", "&lt;"), xref="paper", yref="paper", x=0, y=0,
        yshift=-(below - 32), xanchor="left", yanchor="top", showarrow=False, font=dict(size=11, color="#52606d"))]
    layout["margin"] = {**layout.get("margin", {}), "b": below}
    if view == "timeline":  # labels placed for a typical iframe width; hover and the key work at any
        annotate(figure, width=EMBED_WIDTH, height=layout["height"])
    return figure


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
