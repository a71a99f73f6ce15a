"""The Export menu: the current view (the URL's query) as PNG, SVG, PDF, HTML, PowerPoint or CSV.

An export costs far more than a dashboard update (a deck is about a second of CPU, and an image
needs the worker's browser), so each app runs at most `MAX_EXPORTS_AT_ONCE` at a time: another
export asked for meanwhile gets a "busy, try again" message and a `Retry-After` header at once,
rather than waiting in a queue and holding a thread, and the dashboard stays responsive.
"""

from __future__ import annotations

import threading

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from alliance.export import DEFAULT_SIZE, SIZES, ExportError, build_export
from alliance.record import Record

from . import ids, inputs
from .state import parse

FORMAT_LABELS = {"png": "PNG image", "svg": "SVG image", "pdf": "PDF", "html": "HTML chart (offline)",
                 "pptx": "PowerPoint deck", "csv": "CSV of events"}
MAX_EXPORTS_AT_ONCE = 1  # per app, so per gunicorn worker process
RETRY_AFTER_S = 3  # about one deck's time, a few images'
BUSY = "The server is busy with another export; try again in a few seconds."
SIZE_LABELS = {"1920x1080": "16:9, 1920×1080", "1280x720": "16:9, 1280×720", "1600x1200": "4:3, 1600×1200"}


def export_menu() -> html.Section:
    def select(component_id, label, options, value):
        return html.Div(className="filter", children=[
            html.Label(label, htmlFor=component_id),
            dcc.Dropdown(id=component_id, options=options, value=value, clearable=False, searchable=False,
                         className="dropdown small-dropdown"),
        ])

    return html.Section(className="card export", **{"aria-label": "Export"}, children=[
        html.H2("Export this view"),
        html.Div(className="export-row", children=[
            select(ids.EXPORT_VIEW, "Chart", [{"label": "Timeline", "value": "timeline"},
                                              {"label": "Events per year", "value": "topics"},
                                              {"label": "Areas × administrations", "value": "matrix"}], "timeline"),
            select(ids.EXPORT_FORMAT, "Format", [{"label": v, "value": k} for k, v in FORMAT_LABELS.items()], "png"),
            select(ids.EXPORT_SIZE, "Size", [{"label": SIZE_LABELS[k], "value": k} for k in SIZES], DEFAULT_SIZE),
            html.Button("Download", id=ids.EXPORT_BUTTON, className="button"),
            dcc.Loading(html.Span(id=ids.EXPORT_STATUS, className="share-status", role="status"), type="circle"),
        ]),
        dcc.Download(id=ids.EXPORT_DOWNLOAD),
    ])


def download(record: Record, search: str | None, view: str, fmt: str, size: str):
    """(file for dcc.Download or no_update, status message). Failures become a message, not an error."""
    try:
        result = build_export(record, parse(record, search), view, fmt, size)
    except ExportError as error:
        return no_update, f"Export failed: {error}"
    return dcc.send_bytes(result.content, result.filename, type=result.mimetype), f"Downloaded {result.filename}"


def register(app: Dash, record: Record) -> None:
    slots = threading.BoundedSemaphore(MAX_EXPORTS_AT_ONCE)

    @app.callback(Output(ids.EXPORT_DOWNLOAD, "data"), Output(ids.EXPORT_STATUS, "children"),
                  Input(ids.EXPORT_BUTTON, "n_clicks"), State(ids.URL, "search"), State(ids.EXPORT_VIEW, "value"),
                  State(ids.EXPORT_FORMAT, "value"), State(ids.EXPORT_SIZE, "value"), prevent_initial_call=True)
    def _download(_clicks, search, view, fmt, size):
        if not slots.acquire(blocking=False):
            ctx.response.set_header("Retry-After", str(RETRY_AFTER_S))
            return no_update, BUSY
        try:
            return download(record, inputs.text(ids.URL, search), inputs.text(ids.EXPORT_VIEW, view, "timeline"),
                            inputs.text(ids.EXPORT_FORMAT, fmt, "png"), inputs.text(ids.EXPORT_SIZE, size, DEFAULT_SIZE))
        finally:
            slots.release()
