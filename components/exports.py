"""The Export menu: the current view (the URL's query) as PNG, SVG, PDF, HTML, PowerPoint or CSV, or the
code that embeds it, live, in another page.

An export costs far more than a dashboard update (a deck is about a second of CPU, and an image
needs the worker's browser), so each app runs one at a time. A few more may wait their turn (up to
`QUEUE_WAIT_S`, sleeping, not spinning); beyond `MAX_WAITING`, or after that wait, an export gets a
"busy, try again" message and a `Retry-After` header. Exports thus never take more than one of a
worker's threads' worth of CPU, nor pile up, and the dashboard stays responsive (bench/export_load.py).
"""

from __future__ import annotations

import logging
import threading

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update

from alliance.export import DEFAULT_SIZE, SIZES, ExportError, ExportOptionError, build_export
from alliance.record import Record

from . import aria, ids, inputs
from .embed import embed_code
from .state import parse

FORMAT_LABELS = {"png": "PNG image", "svg": "SVG image", "pdf": "PDF", "html": "HTML chart (offline)",
                 "pptx": "PowerPoint deck", "csv": "CSV of events"}
MAX_WAITING = 2  # exports queued behind the running one, per app (so per gunicorn worker process)
QUEUE_WAIT_S = 10.0  # longest a queued export waits for its turn
RETRY_AFTER_S = 3  # about one deck's time, a few images'
BUSY = "The server is busy with another export; try again in a few seconds."
LOG = logging.getLogger(__name__)
SIZE_LABELS = {"1920x1080": "16:9, 1920×1080", "1280x720": "16:9, 1280×720", "1600x1200": "4:3, 1600×1200"}


def export_menu() -> html.Section:
    def select(component_id, label, options, value):
        return html.Div(className="filter", children=[
            html.Label(label, htmlFor=component_id),
            dcc.Dropdown(id=component_id, options=options, value=value, clearable=False, searchable=False,
                         className="dropdown small-dropdown"),
        ])

    return html.Section(className="card export", **aria.label("Export"), children=[
        html.H2("Export this view"),
        html.Div(className="export-row", children=[
            select(ids.EXPORT_VIEW, "Chart", [{"label": "Timeline", "value": "timeline"},
                                              {"label": "Events per year", "value": "topics"},
                                              {"label": "Areas × administrations", "value": "matrix"}], "timeline"),
            select(ids.EXPORT_FORMAT, "Format", [{"label": v, "value": k} for k, v in FORMAT_LABELS.items()], "png"),
            select(ids.EXPORT_SIZE, "Size", [{"label": SIZE_LABELS[k], "value": k} for k in SIZES], DEFAULT_SIZE),
            html.Div(className="export-actions", children=[
                html.Button("Download", id=ids.EXPORT_BUTTON, className="button"),
                html.Button("Embed", id=ids.EXPORT_EMBED, className="button secondary",
                            **aria.disclosure(ids.EMBED_PANEL),
                            title="Code to show this view, live, on another web page"),
            ]),
            dcc.Loading(html.Span(id=ids.EXPORT_STATUS, className="share-status", role="status"), type="circle"),
        ]),
        embed_panel(),
        dcc.Download(id=ids.EXPORT_DOWNLOAD),
    ])


def embed_panel() -> html.Div:
    """The embed code for the chart chosen above and the view in the URL, in a read-only field
    (text, never live markup), with Copy: the clipboard where the page may use it (https or this
    machine), else the field's text selected for Ctrl+C (plain-http office hosts)."""
    return html.Div(id=ids.EMBED_PANEL, className="embed-panel", hidden=True, children=[
        html.Label("Embed code: paste it into the other page's HTML. The other site must be allowed to frame "
                   "this server (ALLIANCE_EMBED_FRAME_ANCESTORS, see the README).", htmlFor=ids.EMBED_CODE),
        html.Div(className="embed-row", children=[
            dcc.Textarea(id=ids.EMBED_CODE, readOnly=True, rows=3, className="embed-code", spellCheck=False),
            html.Button("Copy", id=ids.EMBED_COPY, className="button"),
            html.Span(id=ids.EMBED_STATUS, className="share-status", role="status"),
        ]),
    ])


def download(record: Record, search: str | None, view: str, fmt: str, size: str):
    """(file for dcc.Download or no_update, status message). Failures become a message, not an error,
    and a log line with the query, so the operator can reproduce them (`alliance export`)."""
    try:
        result = build_export(record, parse(record, search), view, fmt, size)
    except ExportError as error:
        # The menu offers only valid options: an unknown one is a hand-made request (debug; a hostile request
        # costs at most one log line, components.inputs), anything else a failure the operator must see.
        level = logging.DEBUG if isinstance(error, ExportOptionError) else logging.ERROR
        LOG.log(level, "export failed: %s (view %s, format %s, size %s, query %r)", error, view, fmt, size,
                (search or "")[:500])
        return no_update, f"Export failed: {error}"
    return dcc.send_bytes(result.content, result.filename, type=result.mimetype), f"Downloaded {result.filename}"


def register(app: Dash, record: Record) -> None:
    running, queue = threading.Lock(), threading.BoundedSemaphore(MAX_WAITING + 1)

    @app.callback(Output(ids.EXPORT_DOWNLOAD, "data"), Output(ids.EXPORT_STATUS, "children"),
                  Input(ids.EXPORT_BUTTON, "n_clicks"), State(ids.URL, "search"), State(ids.EXPORT_VIEW, "value"),
                  State(ids.EXPORT_FORMAT, "value"), State(ids.EXPORT_SIZE, "value"), prevent_initial_call=True)
    def _download(_clicks, search, view, fmt, size):
        if not queue.acquire(blocking=False):  # the running export and MAX_WAITING more
            return busy()
        try:
            if not running.acquire(timeout=QUEUE_WAIT_S):
                return busy()
            try:
                return download(record, inputs.text(ids.URL, search), inputs.text(ids.EXPORT_VIEW, view, "timeline"),
                                inputs.text(ids.EXPORT_FORMAT, fmt, "png"), inputs.text(ids.EXPORT_SIZE, size, DEFAULT_SIZE))
            finally:
                running.release()
        finally:
            queue.release()

    @app.callback(Output(ids.EMBED_CODE, "value"), Input(ids.EMBED_PANEL, "hidden"), Input(ids.URL, "search"),
                  Input(ids.EXPORT_VIEW, "value"), State(ids.URL, "href"), prevent_initial_call=True)
    def _embed_code(hidden, search, view, href):
        if hidden is not False:  # closed (or not a boolean): nothing to show
            return no_update
        return embed_code(record, inputs.text(ids.URL, href, None), inputs.text(ids.URL, search),
                          inputs.text(ids.EXPORT_VIEW, view, "timeline"))

    app.clientside_callback(ClientsideFunction("alliance", "toggleEmbed"), Output(ids.EMBED_PANEL, "hidden"),
                            Output(ids.EXPORT_EMBED, "aria-expanded"), Input(ids.EXPORT_EMBED, "n_clicks"),
                            State(ids.EMBED_PANEL, "hidden"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("alliance", "selectEmbed"), Output(ids.EMBED_STATUS, "children"),
                            Input(ids.EMBED_CODE, "value"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("alliance", "copyEmbed"), Output(ids.EMBED_STATUS, "children",
                                                                                 allow_duplicate=True),
                            Input(ids.EMBED_COPY, "n_clicks"), prevent_initial_call=True)

    def busy():
        ctx.response.set_header("Retry-After", str(RETRY_AFTER_S))
        return no_update, BUSY
