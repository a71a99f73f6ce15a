"""The view reducer: (current view, what the user did) → next view. Pure, so tested without a browser.

Every control, click and key press in the dashboard becomes one call of `next_query`; the result
is written to the URL, and the URL alone decides what is drawn. Shared links, back/forward and
tests therefore all go through the same door.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from alliance import view
from alliance.query import Query
from alliance.record import Record

from . import ids


@dataclass(frozen=True)
class Action:
    """What happened: the component id (a dict for pattern-matching ids) and its new value."""

    source: object
    value: object = None


def _window_from_years(years, span: tuple[int, int]) -> tuple[str | None, str | None]:
    if not isinstance(years, (list, tuple)) or len(years) != 2:
        return None, None
    start, end = (int(y) for y in years)
    return (None if start <= span[0] else str(start)), (None if end >= span[1] else str(end))


def _customdata(click) -> str | None:
    try:
        value = click["points"][0]["customdata"]
    except (TypeError, KeyError, IndexError):
        return None
    return value if isinstance(value, str) else None


def _with_event(record: Record, query: Query, event_id: str | None) -> Query:
    return query.with_changes(event=event_id if event_id in record.ids else None)


def _topics(record: Record, current: Query, value) -> Query:
    all_topics = [t.id for t in record.vocab.topics]
    chosen = tuple(t for t in all_topics if t in (value or []))
    return current.with_changes(topics=() if len(chosen) == len(all_topics) else chosen or ("none",))


def _window(record: Record, current: Query, value) -> Query:
    start, end = _window_from_years(value, record.span)
    return current.with_changes(start=start, end=end)


def _story(record: Record, current: Query, event_id) -> Query:
    """The detail panel's "Show this story" (or, when that story is shown, "Show all events"): the
    whole chain is in view, so the window opens to the record's span."""
    if not isinstance(event_id, str) or event_id not in record.ids or current.story == event_id:
        return current.with_changes(story=None)
    return current.with_changes(story=event_id, event=event_id, start=None, end=None)


@dataclass(frozen=True)
class FilterControl:
    """A dashboard control that sets a filter of `alliance.filters`: what its value does to the view
    and (for a control that shows a value, not a button) what it shows for a view."""

    id: str
    # (record, current view, the control's value) -> next view. The value is of the type this control
    # sends, `components.inputs.action` having dropped any other: the table is keyed by control, so
    # the checker cannot tell which type reaches which function (hence Any).
    changes: Callable[[Record, Query, Any], Query]
    shows: Callable[[Record, Query], object] | None = None


FILTER_CONTROLS = (
    FilterControl(ids.TOPIC_FILTER, _topics,
                  lambda record, q: list(q.topics) if q.topics else [t.id for t in record.vocab.topics]),
    FilterControl(ids.KIND_FILTER, lambda record, q, value: q.with_changes(kinds=tuple(value or ())),
                  lambda record, q: list(q.kinds)),
    FilterControl(ids.ACTOR_FILTER, lambda record, q, value: q.with_changes(actors=tuple(value or ())),
                  lambda record, q: list(q.actors)),
    FilterControl(ids.IMPORTANCE_FILTER,
                  lambda record, q, value: q.with_changes(importance=tuple(sorted(int(v) for v in value or ()))),
                  lambda record, q: list(q.importance)),
    FilterControl(ids.SEARCH, lambda record, q, value: _search(record, q, value or ""), lambda record, q: q.q),
    FilterControl(ids.WINDOW, _window, lambda record, q: list(view.year_window(q, record.span))),
    FilterControl(ids.STORY, _story),  # a button in the detail panel: {"type": STORY, "index": event id}
)
_FILTER_CONTROL = {control.id: control for control in FILTER_CONTROLS}


def next_query(record: Record, current: Query, action: Action) -> Query:
    source, value = action.source, action.value
    pattern = source if isinstance(source, dict) else {}  # a pattern id: {"type": ..., "index": ...}
    kind = str(pattern.get("type") if isinstance(source, dict) else source)
    control = _FILTER_CONTROL.get(kind)
    if control is not None:
        return control.changes(record, current, pattern.get("index") if isinstance(source, dict) else value)
    if kind == ids.MODE:
        return current.with_changes(mode=value if value in ("hide", "dim") else "hide")
    if kind == ids.MATRIX_COUNTRY:
        return current.with_changes(matrix=value if value in ("US", "ROK") else "US")
    if kind == ids.DECADE:
        decade = pattern.get("index", 0)
        start, end = view.decade_window(decade, record.span) if decade else (None, None)
        return current.with_changes(start=start, end=end)
    if kind == ids.ERA_PRESET:
        return _era_window(record, current, value)
    if kind == ids.RESET:
        return Query()
    if kind in (ids.TIMELINE, ids.TABLE, ids.RELATED):
        target = pattern.get("index") if kind == ids.RELATED else (
            value.get("data") if kind == ids.TABLE and isinstance(value, dict) else _customdata(value))
        if isinstance(target, str) and target.startswith("era:"):
            return _era_window(record, current, target[4:])
        return _with_event(record, current, target)
    if kind == ids.CLOSE_DETAIL:
        return current.with_changes(event=None)
    if kind in (ids.PREV_EVENT, ids.NEXT_EVENT):
        frame = current.apply(record.frame)
        return current.with_changes(event=view.neighbour(frame, current.event, 1 if kind == ids.NEXT_EVENT else -1))
    if kind == ids.TOPIC_YEARS:
        return _topic_cell(record, current, _customdata(value), lambda year: (year, year))
    if kind == ids.TOPIC_MATRIX:
        return _topic_cell(record, current, _customdata(value), lambda era_id: _era_span(record, era_id))
    if kind == ids.NARRATIVE:
        narrative = view.find_narrative(record, value if isinstance(value, str) else None)
        if narrative is None:
            return current.with_changes(narrative=None)
        return _focus(record, current.with_changes(narrative=narrative.id), narrative.steps[0].event)
    if kind in (ids.NARRATIVE_PREV, ids.NARRATIVE_NEXT):
        narrative = view.find_narrative(record, current.narrative)
        if narrative is None:
            return current
        step = 1 if kind == ids.NARRATIVE_NEXT else -1
        return _focus(record, current, view.narrative_step(narrative, current.event, step))
    return current


def _search(record: Record, current: Query, text: str) -> Query:
    """Search filters (or, in dim mode, highlights) and jumps the window to the matches. The same words
    again change nothing: Dash sends the field's value when the field loses focus, so Tabbing through an
    unchanged search field must not throw away the time window."""
    words = " ".join(text.split())[:200]
    if words == current.q:
        return current
    query = current.with_changes(q=words, start=None, end=None)
    matches = record.frame[record.frame["id"].isin(view.search_matches(record.frame, query.q))]
    if query.q and not matches.empty:
        first, last = matches["start"].min().year, matches["start"].max().year
        if last - first < 60:
            query = query.with_changes(start=str(max(record.span[0], first - 2)), end=str(min(record.span[1], last + 2)))
    return query


def _era_span(record: Record, era_id) -> tuple[str, str]:
    era = view.find_era(record.vocab.eras, era_id)
    if era is None:
        raise ValueError(f"unknown administration {era_id!r}")
    return view.era_window(era, record.span)


def _era_window(record: Record, current: Query, value) -> Query:
    """Zoom to the administration named by its stable id (preset value, or a band's `era:<id>`)."""
    try:
        start, end = _era_span(record, value)
    except ValueError:
        return current
    return current.with_changes(start=start, end=end)


def _topic_cell(record: Record, current: Query, data: str | None, window_of) -> Query:
    if data is None:
        return current
    try:
        topic, key = data.split("|")
        start, end = window_of(key)
    except (AttributeError, ValueError, IndexError):
        return current
    if topic not in {t.id for t in record.vocab.topics}:
        return current
    return current.with_changes(topics=(topic,), start=str(start), end=str(end))


def _focus(record: Record, query: Query, event_id: str) -> Query:
    if event_id not in record.ids:
        return query
    start, end = view.focus_window(record, event_id)
    return query.with_changes(event=event_id, start=start, end=end)


def controls_for(record: Record, query: Query) -> dict:
    """The values every control should show for `query` (the URL → controls direction)."""
    shown = {control.id: control.shows(record, query) for control in FILTER_CONTROLS if control.shows}
    return {**shown, ids.MODE: query.mode, ids.NARRATIVE: query.narrative, ids.MATRIX_COUNTRY: query.matrix}


def parse(record: Record, search: str | None) -> Query:
    """A URL query string to a view, dropping ids the record does not know."""
    query = Query.from_url(search, topics={t.id for t in record.vocab.topics} | {"none"},
                           kinds={k.id for k in record.vocab.kinds}, actors=record.actors, events=record.ids)
    query = query.with_changes(event=query.event if query.event in record.ids else None,
                               narrative=query.narrative if view.find_narrative(record, query.narrative) else None)
    return view.within_span(query, record.span)


def count_in_view(frame: pd.DataFrame, query: Query) -> int:
    return int(query.mask(frame).sum())
