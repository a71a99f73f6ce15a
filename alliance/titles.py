"""What an exported chart says about itself: its title, its filters in words, its source line.

A chart lifted into a briefing must say what it shows without the dashboard beside it, so the
title names every filter (issue areas, kinds, actors, importance, search and the time window),
and the source line names the record version and the filters in full. Both read as prose, never
as URL ids: a one-month window is "March 2019", a one-year window "2019" (never "2019–2019").
Labels come from the record's vocabularies; the order follows the dashboard's filter bar.
"""

from __future__ import annotations

from .dates import parse_partial_date
from .figures import COUNTRY_NAMES
from .filters import FILTERS, Vocab, is_set, range_words, values_of
from .query import Query
from .record import Record
from .view import year_window

ALLIANCE = "U.S.–ROK alliance"
TITLE_LIST_MOST = 4  # items a title names from one filter; longer lists end "and N more" (the source line has all)
_VIEW_NAMES = {"timeline": "", "topics": "events per year"}


def title_window(record: Record, query: Query) -> str:
    """The window the chart shows, always bounded: a side the query leaves open is the record's year."""
    first_year, last_year = year_window(query, record.span)
    if len(record.frame):
        first_year = max(first_year, int(record.frame["year"].min()))
    start = query.start if query.start and int(query.start[:4]) == first_year else str(first_year)
    end = query.end if query.end and int(query.end[:4]) == last_year else str(last_year)
    return range_words(parse_partial_date(start), parse_partial_date(end))


def filter_phrases(record: Record, query: Query, *, most: int | None = None) -> dict[str, str]:
    """Each filter the query sets, in its own words (`alliance.filters`), keyed by its first URL parameter,
    in the order of the dashboard's filter bar. `most` shortens long lists (for titles); the source
    line gives every item."""
    vocab = _vocab(record)
    phrases = {flt.names[0]: flt.words(values, vocab, most) for flt in FILTERS if is_set(values := values_of(query, flt))}
    return {name: text for name, text in phrases.items() if text}


def _vocab(record: Record) -> Vocab:
    return Vocab(topics={t.id: t.label for t in record.vocab.topics}, kinds={k.id: k.label for k in record.vocab.kinds},
                 titles=dict(zip(record.frame["id"], record.frame["title"], strict=True)))


def filters_text(record: Record, query: Query) -> str:
    """The filters in words a reader can quote: `Security & defense, North Korea; kinds: Summit; 2000–2021`.

    Each filter says itself (`alliance.filters`), in the order of the dashboard's filter bar.
    """
    return "; ".join(filter_phrases(record, query).values()) or "none"


def title_for(record: Record, query: Query, view: str, *, filters: bool = True) -> str:
    """`U.S.–ROK alliance: Trade & economy and Security & defense, March 2019 — events per year; kinds: Summit`.

    The areas, the window and what the chart is come first; then every other filter in words
    (`filters=False` leaves those out, for a deck slide whose footer names them).
    """
    phrases = filter_phrases(record, query, most=TITLE_LIST_MOST)
    what = ": ".join(part for part in (ALLIANCE, phrases.pop("topics", "")) if part)
    phrases.pop("from", None)
    name = _VIEW_NAMES.get(view, "")
    if view == "matrix":  # rows are areas: an event in two areas counts in both (the chart's axis says so)
        name = f"events per issue area by {COUNTRY_NAMES[query.matrix]} administration"
    head = f"{what}, {title_window(record, query)}" + (f" — {name}" if name else "")
    return "; ".join([head, *phrases.values()]) if filters else head


def source_line(record: Record, query: Query, shown: int) -> str:
    return (f"Source: Alliance Timeline record, {shown} of {len(record.frame)} events, record {record.version}; "
            f"filters: {filters_text(record, query)}")
