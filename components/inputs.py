"""Callback inputs as the values the callbacks expect: each wrong-typed value becomes its default.

Whatever the page sends is browser state, and anyone can post a callback request, so `url.search`
may arrive as a list, an importance filter as `["a"]`, a click as `"security|garbage"`. As with a bad
URL parameter, such a value is dropped (the control's default stands) with one log line, and the
rest of the request is answered. `components.guard` has already refused requests of the wrong shape.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from typing import overload

from flask import g, has_request_context

from . import ids

LOG = logging.getLogger(__name__)

_YEAR_CELL = re.compile(r"[a-z0-9-]{1,80}\|\d{4}")  # topic-years customdata: "<topic>|<year>"
_MATRIX_CELL = re.compile(r"[a-z0-9-]{1,80}\|(?:us|rok)-\d{4}(?:-\d{2}){0,2}")  # topic-matrix customdata: "<topic>|<era id>"


def _dropped(name: str, value, default):
    """`default`, after one log line per request (a hostile request may carry many bad values)."""
    if not (has_request_context() and g.get("bad_input_logged")):
        LOG.warning("callback input %s: ignored a wrong-typed value (%s); using the default", name, type(value).__name__)
    if has_request_context():
        g.bad_input_logged = True
    return default


@overload
def text(name: str, value, default: str = "") -> str: ...
@overload
def text(name: str, value, default: None) -> str | None: ...
def text(name: str, value, default: str | None = "") -> str | None:
    """A string, or `default` (None, as a cleared control sends, is the default too)."""
    if value is None or isinstance(value, str):
        return default if value is None else value
    return _dropped(name, value, default)


def strings(name: str, value) -> list[str] | None:
    """A multi-select's value: a list of strings (None for a cleared control)."""
    if value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return value
    return _dropped(name, value, None)


def importance(value) -> list[int] | None:
    if value is None or (isinstance(value, list) and all(_is_int(v) and v in (1, 2, 3) for v in value)):
        return value
    return _dropped(ids.IMPORTANCE_FILTER, value, None)


def years(value) -> list[int] | None:
    """The time window slider's [start, end]: two finite numbers, as whole years."""
    if isinstance(value, list) and len(value) == 2 and all(_is_year(v) for v in value):
        return [int(v) for v in value]
    return None if value is None else _dropped(ids.WINDOW, value, None)


def clicks(name: str, value) -> int | None:
    """A button's n_clicks: a count, or None (not clicked)."""
    if value is None or _is_int(value):
        return value
    return _dropped(name, value, None)


def click_data(name: str, value, pattern: re.Pattern | None = None) -> dict | None:
    """A figure's clickData, kept only when its first point's customdata is a string (matching
    `pattern` when given: the topic views' cells name a topic and a year or column)."""
    try:
        point = value["points"][0]
        data = point.get("customdata")
    except (TypeError, KeyError, IndexError, AttributeError):
        return None if value is None else _dropped(name, value, None)
    if isinstance(data, str) and (pattern is None or pattern.fullmatch(data)):
        return value
    # A click on a shape that carries no data (a density cell) is a real click that means nothing.
    return None if data is None else _dropped(name, value, None)


def opened_row(value) -> dict | None:
    """The table's `eventData` (`{"data": event id, "timestamp": ms}`, assets/grid.js), kept only when
    it names a row by a string id."""
    if isinstance(value, dict) and isinstance(value.get("data"), str):
        return value
    return None if value is None else _dropped(ids.TABLE, value, None)


def action(source, value):
    """(what triggered a `sync`, its value), each replaced by None when it is not what that control
    sends: a pattern id's index of the wrong type, or a value of the wrong type for the control."""
    kind = str(source.get("type") if isinstance(source, dict) else source)  # names the control in log lines
    if kind == ids.DECADE and not _is_int(source.get("index")):
        return _dropped(ids.DECADE, source.get("index"), None), None
    if isinstance(source, dict) and kind != ids.DECADE and not isinstance(source.get("index"), str):
        return _dropped(str(kind), source.get("index"), None), None  # every other pattern id names an event
    checks: dict[str, Callable[[object], object]] = {
        ids.URL: lambda v: text(kind, v),  # the page loaded, or Back/Forward: the URL's query string
        ids.TOPIC_FILTER: lambda v: strings(kind, v), ids.KIND_FILTER: lambda v: strings(kind, v),
        ids.ACTOR_FILTER: lambda v: strings(kind, v), ids.IMPORTANCE_FILTER: importance,
        ids.SEARCH: lambda v: text(kind, v), ids.MODE: lambda v: text(kind, v, "hide"), ids.WINDOW: years,
        ids.NARRATIVE: lambda v: text(kind, v, None), ids.ERA_PRESET: lambda v: text(kind, v, None),
        ids.MATRIX_COUNTRY: lambda v: text(kind, v, "US"),
        ids.TIMELINE: lambda v: click_data(kind, v), ids.TABLE: opened_row,
        ids.TOPIC_YEARS: lambda v: click_data(kind, v, _YEAR_CELL),
        ids.TOPIC_MATRIX: lambda v: click_data(kind, v, _MATRIX_CELL),
    }
    check = checks.get(kind, lambda v: clicks(kind, v))  # every other input is a button
    return source, check(value)


def _is_year(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and abs(value) < 10_000


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
