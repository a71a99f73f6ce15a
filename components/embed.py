"""`/embed?view=timeline|topics|matrix&<dashboard query>`: a chart-only page for an iframe.

No controls, responsive, interactive hover; the chart's title and source line inside the frame;
plotly.js and the timeline's label code come from this server (nothing from the internet). Any bad
parameter falls back to a default, never an error page. The page is alliance/chartpage.py's, as the
HTML export's is.

The page has one inline script: the `Plotly.newPlot` call. Its Content-Security-
Policy allows exactly that script, by the hash of the text written (`security.allow_inline_script`),
not whatever inline scripts the response happens to contain: if record text ever escaped its JSON
string, the script it formed would still not run.
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urlsplit

import plotly
from flask import Flask, Response, request

from alliance.chartpage import Assets, chart_page
from alliance.export import VIEWS, page_words, screen_figure
from alliance.record import Record

from .security import EMBED_PATH, allow_inline_script
from .state import parse

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}  # hover stays interactive
ASSETS = Assets(plotly=EMBED_PATH + "/plotly.min.js", labels="/assets")  # Dash serves assets/ at /assets


def embed_page(record: Record, search: str, view: str) -> tuple[bytes, str]:
    """(the page, its inline script) for `/embed?view=<view>&<dashboard query>`; an unknown view is the timeline."""
    view = view if view in VIEWS else "timeline"
    query = parse(record, search)
    title, source = page_words(record, query, view)
    page, script = chart_page(screen_figure(record, query, view), title=title, source=source, config=CONFIG,
                              assets=ASSETS, timeline=view == "timeline")
    return page.encode("utf-8"), script


EMBED_SIZE = (800, 450)  # the iframe the code asks for (16:9; the page fits any frame from about this size up)


def embed_code(record: Record, href: str | None, search: str | None, view: str | None) -> str:
    """The <iframe> a partner page pastes to show this exact view: `/embed` on the server the
    dashboard came from (the browser's own address, right behind any proxy), with the page's query.

    Text for a read-only field, never markup on the dashboard; every attribute value is escaped, so
    a search for `"><script>` stays inside its attribute when the partner pastes the code.
    """
    view = view if view in VIEWS else "timeline"
    query = parse(record, search)
    address = urlsplit(href or "")
    origin = f"{address.scheme}://{address.netloc}" if address.scheme in ("http", "https") and address.netloc else ""
    src = f"{origin}{EMBED_PATH}?view={view}" + query.to_url().replace("?", "&", 1)
    title, _source = page_words(record, query, view)
    width, height = EMBED_SIZE
    return (f'<iframe src="{html.escape(src)}" title="{html.escape(title)}" width="{width}" height="{height}" '
            f'style="border: 0; max-width: 100%;" loading="lazy"></iframe>')


def register(server: Flask, record: Record) -> None:
    @server.route(EMBED_PATH)
    def embed() -> Response:
        page, script = embed_page(record, request.query_string.decode("utf-8", "replace"),
                                  request.args.get("view", "timeline"))
        allow_inline_script(script)
        return Response(page, mimetype="text/html")

    @server.route(EMBED_PATH + "/plotly.min.js")
    def embed_plotly() -> Response:
        response = Response(PLOTLY_JS.read_bytes(), mimetype="application/javascript")
        response.cache_control.max_age = 86400
        response.cache_control.public = True
        return response
