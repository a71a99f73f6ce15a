"""What the user is looking at, as a value: filters and time window, to and from a URL query string.

A shared link is untrusted text. `Query.from_url` therefore never raises: each parameter is
length-limited and validated on its own, an unknown or malformed value is dropped, and the rest of
the view is kept. `apply` is the one place a frame is filtered, for the dashboard and exports alike.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from .dates import parse_partial_date
from .fields import SLUG

MAX_VALUE_CHARS = 500
MAX_ITEMS = 50
MAX_TEXT_CHARS = 200
MAX_FIELDS = 40  # `&`-separated fields read from a query string; any beyond are ignored
MODES = ("hide", "dim")
MATRIX_COUNTRIES = {"us": "US", "rok": "ROK"}  # URL value -> whose presidents the matrix's columns are


@dataclass(frozen=True)
class Query:
    topics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    q: str = ""
    start: str | None = None  # YYYY[-MM[-DD]], inclusive
    end: str | None = None
    importance: tuple[int, ...] = ()
    event: str | None = None
    narrative: str | None = None
    mode: str = "hide"
    matrix: str = "US"  # the matrix's columns: U.S. or ROK administrations

    @classmethod
    def from_url(cls, search: str | None, *, topics=None, kinds=None, actors=None) -> Query:
        """Parse `?topics=a,b&from=1990...`. Known vocabularies, when given, drop unknown ids."""
        # parse_qs's own max_num_fields raises when exceeded; a long link loses its tail instead.
        text = search if isinstance(search, str) else ""  # browser state can hold anything
        fields = text.lstrip("?")[:20_000].split("&", MAX_FIELDS)[:MAX_FIELDS]
        params = parse_qs("&".join(fields), keep_blank_values=False)

        def first(name: str) -> str:
            values = params.get(name) or [""]
            return values[0][:MAX_VALUE_CHARS].strip()

        def ids(name: str, allowed) -> tuple[str, ...]:
            items = [i.strip() for i in first(name).split(",") if i.strip()][:MAX_ITEMS]
            items = [i for i in items if SLUG.match(i) and (allowed is None or i in allowed)]
            return tuple(dict.fromkeys(items))

        actor_list = [a.strip()[:120] for a in first("actors").split(",") if a.strip()][:MAX_ITEMS]
        if actors is not None:
            actor_list = [a for a in actor_list if a in actors]
        importance = tuple(sorted({int(i) for i in first("importance").split(",") if i.strip() in ("1", "2", "3")}))
        start, end = _date_or_none(first("from")), _date_or_none(first("to"))
        if start and end and parse_partial_date(end).last < parse_partial_date(start).first:
            start = end = None  # an inverted window is meaningless: show everything
        event, narrative = first("event"), first("narrative")
        return cls(
            topics=ids("topics", topics),
            kinds=ids("kinds", kinds),
            actors=tuple(dict.fromkeys(actor_list)),
            q=" ".join(first("q").split())[:MAX_TEXT_CHARS],
            start=start,
            end=end,
            importance=importance,
            event=event if SLUG.match(event) else None,
            narrative=narrative if SLUG.match(narrative) else None,
            mode=first("mode") if first("mode") in MODES else "hide",
            matrix=MATRIX_COUNTRIES.get(first("matrix").casefold(), "US"),
        )

    def to_url(self) -> str:
        """The query string (with `?`, or empty) for this view; defaults are left out."""
        pairs = [
            ("topics", ",".join(self.topics)),
            ("kinds", ",".join(self.kinds)),
            ("actors", ",".join(self.actors)),
            ("q", self.q),
            ("from", self.start or ""),
            ("to", self.end or ""),
            ("importance", ",".join(map(str, self.importance))),
            ("event", self.event or ""),
            ("narrative", self.narrative or ""),
            ("mode", self.mode if self.mode != "hide" else ""),
            ("matrix", self.matrix.casefold() if self.matrix != "US" else ""),
        ]
        text = urlencode([(k, v) for k, v in pairs if v], safe=",")
        return f"?{text}" if text else ""

    def with_changes(self, **changes) -> Query:
        return replace(self, **changes)

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """Boolean Series: which rows of `frame` this query keeps."""
        keep = pd.Series(True, index=frame.index)
        if self.topics:
            keep &= _any_of(frame["topics"], self.topics)
        if self.kinds:
            keep &= frame["kind"].isin(self.kinds)
        if self.actors:
            keep &= _any_of(frame["actors"], self.actors)
        if self.importance:
            keep &= frame["importance"].isin(self.importance)
        if self.q:
            for word in self.q.casefold().split():
                keep &= frame["search_text"].str.contains(word, regex=False)
        if self.start:
            first_day = pd.Timestamp(parse_partial_date(self.start).first)
            keep &= frame["end"].fillna(frame["date_last"]) >= first_day
        if self.end:
            keep &= frame["start"] <= pd.Timestamp(parse_partial_date(self.end).last)
        return keep

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame[self.mask(frame)]


def _any_of(lists: pd.Series, wanted) -> np.ndarray:
    """Rows whose list shares an item with `wanted` (a plain loop: pandas' `map` costs twice as much)."""
    wanted = set(wanted)
    return np.fromiter((not wanted.isdisjoint(items) for items in lists), dtype=bool, count=len(lists))


def _date_or_none(text: str) -> str | None:
    try:
        return parse_partial_date(text).text if text else None
    except ValueError:
        return None
