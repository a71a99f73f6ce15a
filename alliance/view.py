"""Navigation rules of the dashboard, as pure functions: windows, neighbours, narrative steps.

They answer questions like "which event comes after this one in the current view?" or "what
window shows the Carter years?" without Dash, so they are tested directly.
"""

from __future__ import annotations

import pandas as pd

from .query import Query
from .record import Narrative, Record
from .schema import Era


def decade_window(decade: int, span: tuple[int, int]) -> tuple[str, str]:
    return str(decade), str(min(decade + 9, span[1]))


def era_window(era: Era, span: tuple[int, int]) -> tuple[str, str]:
    return era.start.text, era.end.text if era.end else str(span[1])


def find_era(eras, era_id) -> Era | None:
    """The administration with this stable id (see `Era.id`), or None for an unknown one."""
    return next((e for e in eras if e.id == era_id), None)


def year_window(query: Query, span: tuple[int, int]) -> tuple[int, int]:
    """The time window as whole years inside the record's `span` (first, last), for the scrubber's handles.

    Never reversed: a window wholly outside the span (`?to=1800`, `?from=2100`) is the whole span,
    as `within_span` makes the filters read it too.
    """
    first, last = span
    start = int(query.start[:4]) if query.start else first
    end = int(query.end[:4]) if query.end else last
    if end < first or start > last:
        return first, last
    return max(first, start), min(last, end)


def within_span(query: Query, span: tuple[int, int]) -> Query:
    """`query` with a window wholly outside the record's span dropped (so it shows everything, never nothing
    on a reversed axis); a window that overlaps the span is kept as written."""
    first, last = span
    start = int(query.start[:4]) if query.start else first
    end = int(query.end[:4]) if query.end else last
    if end < first or start > last:
        return query.with_changes(start=None, end=None)
    return query


def neighbour(frame: pd.DataFrame, current: str | None, step: int) -> str | None:
    """The event `step` places after `current` in date order within `frame` (wrapping at the ends)."""
    if frame.empty:
        return None
    ids = list(frame.sort_values(["start", "id"])["id"])
    if current not in ids:
        return ids[0] if step > 0 else ids[-1]
    return ids[(ids.index(current) + step) % len(ids)]


def narrative_position(narrative: Narrative, event_id: str | None) -> int:
    """Index of `event_id` among the narrative's steps, or -1."""
    return next((i for i, s in enumerate(narrative.steps) if s.event == event_id), -1)


def narrative_step(narrative: Narrative, event_id: str | None, step: int) -> str:
    position = narrative_position(narrative, event_id)
    if position < 0:
        return narrative.steps[0].event
    return narrative.steps[max(0, min(len(narrative.steps) - 1, position + step))].event


def focus_window(record: Record, event_id: str, *, years: int = 6) -> tuple[str, str]:
    """A window of about `years` years centred on an event, so a narrative step puts it in view."""
    row = record.frame.loc[record.frame["id"] == event_id].iloc[0]
    middle = row["start"].year
    first, last = record.span
    start = max(first, min(middle - years // 2, last - years))
    return str(start), str(min(last, start + years))


def find_narrative(record: Record, narrative_id: str | None) -> Narrative | None:
    return next((n for n in record.narratives if n.id == narrative_id), None)


def search_matches(frame: pd.DataFrame, text: str) -> list[str]:
    """Ids of events whose title, summary or actors contain every word of `text`."""
    if not text.strip():
        return []
    return list(Query(q=text).apply(frame)["id"])
