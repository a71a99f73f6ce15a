"""What an exported chart says about itself: its title, its filters in words, its source line.

A chart lifted into a briefing must say what it shows without the dashboard beside it, so the
title names every filter (issue areas, kinds, actors, importance, search and the time window),
and the source line names the record version and the filters in full. Both read as prose, never
as URL ids: a one-month window is "March 2019", a one-year window "2019" (never "2019–2019").
Labels come from the record's vocabularies; the order follows the dashboard's filter bar.
"""

from __future__ import annotations

from datetime import date

from .dates import PartialDate, parse_partial_date
from .figures import COUNTRY_NAMES
from .query import Query
from .record import Record
from .view import year_window

ALLIANCE = "U.S.–ROK alliance"
IMPORTANCE_WORDS = {1: "minor", 2: "normal", 3: "landmark"}
TITLE_LIST_MOST = 4  # items a title names from one filter; longer lists end "and N more" (the source line has all)
_VIEW_NAMES = {"timeline": "", "topics": "events per year"}


def period_words(first: date, last: date) -> str | None:
    """`2019` or `March 2019` when first..last is exactly one year or one month (or one day), else None."""
    for text in (f"{first.year:04d}", f"{first.year:04d}-{first.month:02d}", first.isoformat()):
        period = parse_partial_date(text)
        if period.first == first and period.last == last:
            return period.label()
    return None


def range_words(first: PartialDate, last: PartialDate) -> str:
    """`June 2000–2021`, `2000–2021`, or one period's name when the range is one month or one year."""
    return period_words(first.first, last.last) or f"{first.label()}–{last.label()}"


def title_window(record: Record, query: Query) -> str:
    """The window the chart shows, always bounded: a side the query leaves open is the record's year."""
    first_year, last_year = year_window(query, record.span)
    if len(record.frame):
        first_year = max(first_year, int(record.frame["year"].min()))
    start = query.start if query.start and int(query.start[:4]) == first_year else str(first_year)
    end = query.end if query.end and int(query.end[:4]) == last_year else str(last_year)
    return range_words(parse_partial_date(start), parse_partial_date(end))


def _window_filter(query: Query) -> str:
    """The window as the user set it (`from June 2000`, `until 1990`, `March 2019`), or "" when unset."""
    if query.start and query.end:
        return range_words(parse_partial_date(query.start), parse_partial_date(query.end))
    if query.start:
        return "from " + parse_partial_date(query.start).label()
    if query.end:
        return "until " + parse_partial_date(query.end).label()
    return ""


def listing(items: list[str], noun: str = "", *, most: int | None = None, last: str = ", ") -> str:
    """`A, B, C`; with `most`, a longer list ends `… and 3 more <noun>` (a title must stay short)."""
    if most is not None and len(items) > most:
        return ", ".join(items[: most - 1]) + f" and {len(items) - most + 1} more {noun}".rstrip()
    return ", ".join(items[:-1]) + last + items[-1] if len(items) > 1 else "".join(items)


def filter_phrases(record: Record, query: Query, *, most: int | None = None) -> dict[str, str]:
    """Each filter the query sets, in words, keyed by filter (unset filters are left out).

    `most` shortens long lists (for titles); the source line gives every item.
    """
    topics = {t.id: t.label for t in record.vocab.topics}
    kinds = {k.id: k.label for k in record.vocab.kinds}
    chosen = [topics[t.id] for t in record.vocab.topics if t.id in query.topics]
    joiner = " and " if most is not None else ", "
    phrases = {
        "areas": listing(chosen, "areas", most=most, last=joiner) if chosen else "no issue areas" if query.topics else "",
        "kinds": "kinds: " + listing([kinds.get(k, k) for k in query.kinds], "kinds", most=most),
        "actors": "actors: " + listing(list(query.actors), "actors", most=most),
        "search": f"search: “{query.q}”" if query.q else "",
        "window": _window_filter(query),
        "importance": "importance: " + listing([IMPORTANCE_WORDS[i] for i in query.importance]),
    }
    given = {"kinds": query.kinds, "actors": query.actors, "importance": query.importance}
    return {key: text for key, text in phrases.items() if text and given.get(key, True)}


def filters_text(record: Record, query: Query) -> str:
    """The filters in words a reader can quote: `Security & defense, North Korea; kinds: Summit; 2000–2021`."""
    return "; ".join(filter_phrases(record, query).values()) or "none"


def title_for(record: Record, query: Query, view: str, *, filters: bool = True) -> str:
    """`U.S.–ROK alliance: Trade & economy and Security & defense, March 2019 — events per year; kinds: Summit`.

    The areas, the window and what the chart is come first; then every other filter in words
    (`filters=False` leaves those out, for a deck slide whose footer names them).
    """
    phrases = filter_phrases(record, query, most=TITLE_LIST_MOST)
    what = ": ".join(part for part in (ALLIANCE, phrases.pop("areas", "")) if part)
    phrases.pop("window", None)
    name = _VIEW_NAMES.get(view, "")
    if view == "matrix":  # rows are areas: an event in two areas counts in both (the chart's axis says so)
        name = f"events per issue area by {COUNTRY_NAMES[query.matrix]} administration"
    head = f"{what}, {title_window(record, query)}" + (f" — {name}" if name else "")
    return "; ".join([head, *phrases.values()]) if filters else head


def source_line(record: Record, query: Query, shown: int) -> str:
    return (f"Source: Alliance Timeline record, {shown} of {len(record.frame)} events, record {record.version}; "
            f"filters: {filters_text(record, query)}")
