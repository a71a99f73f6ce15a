"""Server errors are logged with the view they happened on, so a report can be reproduced.

Flask logs an unhandled exception as "Exception on /_dash-update-component [POST]" and a traceback:
every callback goes through that one path, so the line does not say which view failed. Here the
same error is logged once, with the dashboard query the request carried (the page's `url.search`
in a callback's inputs or state, else the request's own query string), to this module's logger.
"""

from __future__ import annotations

import logging

from dash import Dash
from flask import request

from . import ids

LOG = logging.getLogger(__name__)
MAX_SHOWN = 500  # characters of a query put in a log line (a hostile one may be long)


def install(app: Dash) -> None:
    def log_exception(exc_info) -> None:  # Flask's hook, called once per unhandled exception (500)
        LOG.error("server error on %s %s (output %s, query %r)", request.method, request.path[:200],
                  _output(), request_query(), exc_info=exc_info)

    app.server.log_exception = log_exception


def request_query() -> str:
    """The dashboard query a request is about: the page URL's query string for a callback, else the
    request's own (an embed's `?view=...`)."""
    payload = _payload()
    if isinstance(payload, dict):
        for key in ("inputs", "state"):
            items = payload.get(key)
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and item.get("id") == ids.URL and item.get("property") == "search":
                    return str(item.get("value") or "")[:MAX_SHOWN]
    return request.query_string.decode("utf-8", "replace")[:MAX_SHOWN]


def _output() -> str:
    payload = _payload()
    output = payload.get("output") if isinstance(payload, dict) else None
    return str(output)[:200] if output else "-"


def _payload():
    try:
        return request.get_json(silent=True) if request.is_json else None
    except RecursionError:  # nested deeper than the JSON parser goes
        return None
