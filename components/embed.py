"""`/embed?view=timeline|topics|matrix&<dashboard query>`: a chart-only page for an iframe.

No controls, responsive, interactive hover; plotly.js comes from this server (nothing from the
internet). Any bad parameter falls back to a default, never an error page.

The page is written here, with one inline script: the `Plotly.newPlot` call. Its Content-Security-
Policy allows exactly that script, by the hash of the text written (`security.allow_inline_script`),
not whatever inline scripts the response happens to contain: if record text ever escaped its JSON
string, the script it formed would still not run.
"""

from __future__ import annotations

import json
from pathlib import Path

import plotly
import plotly.io.json as plotly_json
from flask import Flask, Response, request

from alliance.export import source_line, view_figure
from alliance.labels import annotate
from alliance.record import Record

from .security import EMBED_PATH, allow_inline_script
from .state import parse

EMBED_WIDTH = 1200
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}  # hover stays interactive
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Alliance Timeline chart</title>
<style>html, body {height: 100%; margin: 0;} #chart {height: 100vh; width: 100%;}</style>
</head>
<body>
<div id="chart"></div>
<script src="EMBED/plotly.min.js"></script>
<script>SCRIPT</script>
</body>
</html>
"""


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


def plot_script(figure: dict) -> str:
    """The page's one script: draw `figure` filling the page. plotly's JSON escapes every `<`, so
    no text inside can end the script element."""
    layout = {key: value for key, value in figure["layout"].items() if key not in ("width", "height")}
    return (f'Plotly.newPlot("chart", {plotly_json.to_json_plotly(figure["data"])}, '
            f'{plotly_json.to_json_plotly({**layout, "autosize": True})}, {json.dumps(CONFIG)});')


def embed_page(figure: dict) -> tuple[bytes, str]:
    """(the page, its inline script)."""
    script = plot_script(figure)
    return PAGE.replace("EMBED", EMBED_PATH).replace("SCRIPT", script).encode("utf-8"), script


def register(server: Flask, record: Record) -> None:
    @server.route(EMBED_PATH)
    def embed() -> Response:
        view = request.args.get("view", "timeline")
        page, script = embed_page(embed_figure(record, request.query_string.decode("utf-8", "replace"), view))
        allow_inline_script(script)
        return Response(page, mimetype="text/html")

    @server.route(EMBED_PATH + "/plotly.min.js")
    def embed_plotly() -> Response:
        response = Response(PLOTLY_JS.read_bytes(), mimetype="application/javascript")
        response.cache_control.max_age = 86400
        response.cache_control.public = True
        return response
