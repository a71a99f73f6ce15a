"""Every filter of the view, declared once: its URL parameters, how untrusted text becomes a value,
which rows it keeps, its words in titles and source lines, and its command-line option.

`Query` (the URL model), `python -m alliance export`, the export titles and the dashboard's reducer
all read this table, so adding a filter is one declaration here, a field on `Query`, and its control.
(Datasette keeps its filters the same way, in `filters.py`.) Parsers never raise: a shared link is
untrusted, so an unknown or malformed value becomes the filter's default and the rest of the view
is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from .dates import parse_partial_date
from .fields import SLUG

MAX_VALUE_CHARS = 500
MAX_ITEMS = 50
MAX_TEXT_CHARS = 200
IMPORTANCE_WORDS = {1: "minor", 2: "normal", 3: "landmark"}


@dataclass(frozen=True)
class Known:
    """What the record knows, so a link's unknown ids can be dropped (None: accept any well-formed id)."""

    topics: Collection[str] | None = None
    kinds: Collection[str] | None = None
    actors: Collection[str] | None = None
    events: Collection[str] | None = None


@dataclass(frozen=True)
class Vocab:
    """The words a filter's value is said in: labels by id (an id stands for itself when unknown)."""

    topics: dict[str, str]
    kinds: dict[str, str]
    titles: dict[str, str]


First = Callable[[str], str]  # URL parameter name -> its first value, trimmed and length-limited
Value = str | tuple[str, ...] | tuple[int, ...] | None  # what one `Query` field a filter sets holds
Mask: TypeAlias = "pd.Series[bool] | npt.NDArray[np.bool_]"  # which rows of a frame a filter keeps


@dataclass(frozen=True)
class Filter:
    """One filter. `params` are its URL parameters, and the `Query` fields they set, in order."""

    params: tuple[tuple[str, str], ...]  # (URL name, Query field)
    parse: Callable[[First, Known], dict]  # URL values -> {field: value}
    keeps: Callable[[pd.DataFrame, dict], Mask]  # (frame, {field: value}) -> which rows, for a set filter
    words: Callable[[dict, Vocab, int | None], str]  # ({field: value}, vocab, most) -> words ("" when unset)
    help: tuple[str, ...]  # one CLI help text per URL parameter
    to_text: Callable[[Value], str] = lambda value: "" if value in (None, "", ()) else str(value)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(field for _, field in self.params)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.params)


# --- parsers: each takes the URL's text and returns a clean value or the default -----------------

def _ids(text: str, allowed: Collection[str] | None) -> tuple[str, ...]:
    items = [i.strip() for i in text.split(",") if i.strip()][:MAX_ITEMS]
    return tuple(dict.fromkeys(i for i in items if SLUG.match(i) and (allowed is None or i in allowed)))


def _date_or_none(text: str) -> str | None:
    try:
        return parse_partial_date(text).text if text else None
    except ValueError:
        return None


def _window(first: First, _known: Known) -> dict:
    start, end = _date_or_none(first("from")), _date_or_none(first("to"))
    if start and end and parse_partial_date(end).last < parse_partial_date(start).first:
        start = end = None  # an inverted window is meaningless: show everything
    return {"start": start, "end": end}


def _actors(first: First, known: Known) -> dict:
    names = [a.strip()[:120] for a in first("actors").split(",") if a.strip()][:MAX_ITEMS]
    return {"actors": tuple(dict.fromkeys(a for a in names if known.actors is None or a in known.actors))}


def _importance(first: First, _known: Known) -> dict:
    return {"importance": tuple(sorted({int(i) for i in first("importance").split(",") if i.strip() in ("1", "2", "3")}))}


def _story(first: First, known: Known) -> dict:
    event = first("story")
    return {"story": event if SLUG.match(event) and (known.events is None or event in known.events) else None}


# --- masks ----------------------------------------------------------------------------------------

def _any_of(lists: pd.Series, wanted) -> npt.NDArray[np.bool_]:
    """Rows whose list shares an item with `wanted` (a plain loop: pandas' `map` costs twice as much)."""
    wanted = set(wanted)
    return np.fromiter((not wanted.isdisjoint(items) for items in lists), dtype=bool, count=len(lists))


def _words_match(frame: pd.DataFrame, q: str) -> pd.Series[bool]:
    keep = pd.Series(True, index=frame.index)
    for word in q.casefold().split():
        keep &= frame["search_text"].str.contains(word, regex=False)
    return keep


def _in_window(frame: pd.DataFrame, start: str | None, end: str | None) -> pd.Series[bool]:
    keep = pd.Series(True, index=frame.index)
    if start:  # a span overlapping the window is in it
        keep &= frame["end"].fillna(frame["date_last"]) >= pd.Timestamp(parse_partial_date(start).first)
    if end:
        keep &= frame["start"] <= pd.Timestamp(parse_partial_date(end).last)
    return keep


def story_ids(frame: pd.DataFrame, event_id: str) -> set[str]:
    """An event and every event its `related` list names (links are symmetric, so this is also every
    event that names it): the steps of its treaty, crisis or negotiation, shown in date order."""
    rows = frame.loc[frame["id"] == event_id, "related"]
    return {event_id, *(rows.iloc[0] if len(rows) else ())}


# --- words ----------------------------------------------------------------------------------------

def period_words(first, last) -> str | None:
    """`2019` or `March 2019` when first..last is exactly one year or one month (or one day), else None."""
    for text in (f"{first.year:04d}", f"{first.year:04d}-{first.month:02d}", first.isoformat()):
        period = parse_partial_date(text)
        if period.first == first and period.last == last:
            return period.label()
    return None


def range_words(first, last) -> str:
    """`June 2000–2021`, `2000–2021`, or one period's name when the range is one month or one year
    (`March 2019`, never `2019–2019`). `first` and `last` are partial dates."""
    return period_words(first.first, last.last) or f"{first.label()}–{last.label()}"


def window_words(start: str | None, end: str | None) -> str:
    """The window as the user set it: `June 2000–2021`, `March 2019`, `from June 2000`, `until 1990`."""
    if start and end:
        return range_words(parse_partial_date(start), parse_partial_date(end))
    if start:
        return "from " + parse_partial_date(start).label()
    return "until " + parse_partial_date(end).label() if end else ""


def _listed(value: Value) -> str:
    """A list filter's value as the URL writes it: `security,trade`, `2,3`."""
    return ",".join(map(str, value or ()))


def listing(items: list[str], noun: str = "", *, most: int | None = None, last: str = ", ") -> str:
    """`A, B, C`; with `most`, a longer list ends `… and 3 more <noun>` (a title must stay short)."""
    if most is not None and len(items) > most:
        return ", ".join(items[: most - 1]) + f" and {len(items) - most + 1} more {noun}".rstrip()
    return ", ".join(items[:-1]) + last + items[-1] if len(items) > 1 else "".join(items)


def _topic_words(topics: tuple[str, ...], vocab: Vocab, most: int | None) -> str:
    """The areas in the vocabulary's order; in a title (`most` set) the last joined by "and"."""
    if not topics:
        return ""
    chosen = [label for topic_id, label in vocab.topics.items() if topic_id in topics]
    return listing(chosen, "areas", most=most, last=", " if most is None else " and ") if chosen else "no issue areas"


FILTERS: tuple[Filter, ...] = (
    Filter(params=(("topics", "topics"),),
           parse=lambda first, known: {"topics": _ids(first("topics"), known.topics)},
           keeps=lambda frame, v: _any_of(frame["topics"], v["topics"]),
           words=lambda v, vocab, most: _topic_words(v["topics"], vocab, most),
           help=("issue areas, comma-separated (e.g. security,trade)",), to_text=_listed),
    Filter(params=(("kinds", "kinds"),),
           parse=lambda first, known: {"kinds": _ids(first("kinds"), known.kinds)},
           keeps=lambda frame, v: frame["kind"].isin(v["kinds"]),
           words=lambda v, vocab, most: "kinds: " + listing([vocab.kinds.get(k, k) for k in v["kinds"]], "kinds", most=most),
           help=("kinds, comma-separated",), to_text=_listed),
    Filter(params=(("actors", "actors"),), parse=_actors,
           keeps=lambda frame, v: _any_of(frame["actors"], v["actors"]),
           words=lambda v, vocab, most: "actors: " + listing(list(v["actors"]), "actors", most=most),
           help=("actors, comma-separated",), to_text=_listed),
    Filter(params=(("q", "q"),),
           parse=lambda first, known: {"q": " ".join(first("q").split())[:MAX_TEXT_CHARS]},
           keeps=lambda frame, v: _words_match(frame, v["q"]),
           words=lambda v, vocab, most: f"search: “{v['q']}”",
           help=("free text",)),
    Filter(params=(("from", "start"), ("to", "end")), parse=_window,
           keeps=lambda frame, v: _in_window(frame, v["start"], v["end"]),
           words=lambda v, vocab, most: window_words(v["start"], v["end"]),
           help=("YYYY[-MM[-DD]]", "YYYY[-MM[-DD]]")),
    Filter(params=(("importance", "importance"),), parse=_importance,
           keeps=lambda frame, v: frame["importance"].isin(v["importance"]),
           words=lambda v, vocab, most: "importance: " + ", ".join(IMPORTANCE_WORDS[i] for i in v["importance"]),
           help=("1, 2 and/or 3, comma-separated",), to_text=_listed),
    Filter(params=(("story", "story"),), parse=_story,
           keeps=lambda frame, v: frame["id"].isin(story_ids(frame, v["story"])),
           words=lambda v, vocab, most: f"the story of “{vocab.titles.get(v['story'], v['story'])}”",
           help=("an event id: that event and every event linked to it (its related list)",)),
)


def values_of(query, flt: Filter) -> dict:
    return {field: getattr(query, field) for field in flt.fields}


def is_set(values: dict) -> bool:
    return any(value not in (None, "", ()) for value in values.values())
