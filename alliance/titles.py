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
from .filters import FILTERS, IMPORTANCE_WORDS, Vocab, is_set, range_words, values_of, window_words
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
        "window": window_words(query.start, query.end),
        "importance": "importance: " + listing([IMPORTANCE_WORDS[i] for i in query.importance]),
        "story": _registry_words(record, query, "story"),
    }
    unset = {key for key, chosen in (("kinds", query.kinds), ("actors", query.actors), ("importance", query.importance))
             if not chosen}  # their phrases have words even when nothing is chosen
    return {key: text for key, text in phrases.items() if text and key not in unset}


def _vocab(record: Record) -> Vocab:
    return Vocab(topics={t.id: t.label for t in record.vocab.topics}, kinds={k.id: k.label for k in record.vocab.kinds},
                 titles=dict(zip(record.frame["id"], record.frame["title"], strict=True)))


def _registry_words(record: Record, query: Query, name: str) -> str:
    flt = next(f for f in FILTERS if name in f.names)
    values = values_of(query, flt)
    return flt.words(values, _vocab(record)) if is_set(values) else ""


def filters_text(record: Record, query: Query) -> str:
    """The filters in words a reader can quote: `Security & defense, North Korea; kinds: Summit; 2000–2021`.

    Each filter says itself (`alliance.filters`), in the order of the dashboard's filter bar.
    """
    vocab = _vocab(record)
    parts = [flt.words(values, vocab) for flt in FILTERS if is_set(values := values_of(query, flt))]
    return "; ".join(p for p in parts if p) or "none"


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
