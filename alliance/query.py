"""What the user is looking at, as a value: filters and time window, to and from a URL query string.

A shared link is untrusted text. `Query.from_url` therefore never raises: each parameter is
length-limited and validated on its own, an unknown or malformed value is dropped, and the rest of
the view is kept. `apply` is the one place a frame is filtered, for the dashboard and exports alike.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

import pandas as pd

from .fields import SLUG
from .filters import FILTERS, MAX_ITEMS, MAX_TEXT_CHARS, MAX_VALUE_CHARS, Known, is_set, values_of

__all__ = ["Query", "MAX_ITEMS", "MAX_TEXT_CHARS", "MAX_FIELDS", "MODES", "MATRIX_COUNTRIES"]

MAX_FIELDS = 40  # `&`-separated fields read from a query string; any beyond are ignored
MODES = ("hide", "dim")
MATRIX_COUNTRIES = {"us": "US", "rok": "ROK"}  # URL value -> whose presidents the matrix's columns are


@dataclass(frozen=True)
class Query:
    """The filters (one field per `alliance.filters.FILTERS` parameter) and what else the view shows."""

    topics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    q: str = ""
    start: str | None = None  # YYYY[-MM[-DD]], inclusive
    end: str | None = None
    importance: tuple[int, ...] = ()
    story: str | None = None  # an event id: that event and the events its `related` list names
    event: str | None = None
    narrative: str | None = None
    mode: str = "hide"
    matrix: str = "US"  # the matrix's columns: U.S. or ROK administrations

    @classmethod
    def from_url(cls, search: str | None, *, topics=None, kinds=None, actors=None, events=None) -> Query:
        """Parse `?topics=a,b&from=1990...`. Known vocabularies and ids, when given, drop unknown ones."""
        # parse_qs's own max_num_fields raises when exceeded; a long link loses its tail instead.
        text = search if isinstance(search, str) else ""  # browser state can hold anything
        fields = text.lstrip("?")[:20_000].split("&", MAX_FIELDS)[:MAX_FIELDS]
        params = parse_qs("&".join(fields), keep_blank_values=False)

        def first(name: str) -> str:
            values = params.get(name) or [""]
            return values[0][:MAX_VALUE_CHARS].strip()

        known = Known(topics=topics, kinds=kinds, actors=actors, events=events)
        values: dict = {}
        for flt in FILTERS:
            values.update(flt.parse(first, known))
        event, narrative = first("event"), first("narrative")
        return cls(
            **values,
            event=event if SLUG.match(event) else None,
            narrative=narrative if SLUG.match(narrative) else None,
            mode=first("mode") if first("mode") in MODES else "hide",
            matrix=MATRIX_COUNTRIES.get(first("matrix").casefold(), "US"),
        )

    def to_url(self) -> str:
        """The query string (with `?`, or empty) for this view; defaults are left out."""
        pairs = [(name, flt.to_text(getattr(self, field))) for flt in FILTERS for name, field in flt.params]
        pairs += [
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
        """Boolean Series: which rows of `frame` this query keeps (every filter that is set)."""
        keep = pd.Series(True, index=frame.index)
        for flt in FILTERS:
            values = values_of(self, flt)
            if is_set(values):
                keep &= flt.keeps(frame, values)
        return keep

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame[self.mask(frame)]
