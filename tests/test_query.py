"""Query ⇄ URL and filtering: a shared link reopens the same view; bad values fall back safely."""

from __future__ import annotations

import pytest

from alliance.query import Query
from alliance.record import load_record

from .conftest import event, make_record

TOPICS = {"security", "trade", "north-korea"}


@pytest.mark.parametrize("query", [
    Query(),
    Query(topics=("security", "trade")),
    Query(kinds=("treaty",), q="korus fta", start="2000", end="2010-06-30", importance=(2, 3)),
    Query(actors=("Moon Jae-in", "Joe Biden"), event="moon-biden-summit-2021", narrative="korus", mode="dim"),
    Query(topics=("trade",), matrix="ROK"),
])
def test_url_round_trip(query):
    assert Query.from_url(query.to_url()) == query


@pytest.mark.parametrize("search, expected", [
    ("?topics=security,nonsense,<script>", Query(topics=("security",))),
    ("?from=2021-02-30&to=1990", Query(end="1990")),
    ("?from=2000&to=1990", Query()),
    ("?importance=0,3,x", Query(importance=(3,))),
    ("?mode=explode", Query()),
    ("?matrix=ROK&topics=trade", Query(topics=("trade",), matrix="ROK")),
    ("?matrix=japan", Query()),
    ("?matrix=" + "rok" * 500, Query()),
    ("?event=../../etc/passwd", Query()),
    ("?q=" + "x" * 5000, Query(q="x" * 200)),
    ("?%zz=%%%&&&=", Query()),
    ("", Query()),
])
def test_bad_values_are_dropped_and_the_rest_kept(search, expected):
    assert Query.from_url(search, topics=TOPICS) == expected


@pytest.fixture
def frame(tmp_path):
    return load_record(make_record(tmp_path / "events", {
        "1953-10-01-treaty.yaml": event(id="treaty", date="1953-10-01", importance="3", actors="[John Foster Dulles]"),
        "2007-06-30-korus.yaml": event(id="korus", date="2007-06-30", topics="[trade]", kind="agreement",
                                       title="KORUS FTA signed"),
        "2018-11-20-group.yaml": event(id="group", date="2018-11-20", end_date="2021-06", topics="[north-korea, security]",
                                       kind="institution"),
    })).frame


@pytest.mark.parametrize("query, ids", [
    (Query(), ["treaty", "korus", "group"]),
    (Query(topics=("security",)), ["treaty", "group"]),
    (Query(topics=("trade", "north-korea")), ["korus", "group"]),
    (Query(kinds=("agreement", "institution")), ["korus", "group"]),
    (Query(actors=("John Foster Dulles",)), ["treaty"]),
    (Query(importance=(3,)), ["treaty"]),
    (Query(q="KORUS"), ["korus"]),
    (Query(q="dulles"), ["treaty"]),  # actors are searched too
    (Query(start="2020"), ["group"]),  # a span still running in the window is in it
    (Query(end="1960"), ["treaty"]),
    (Query(start="2007-06", end="2007-06"), ["korus"]),
])
def test_filters(frame, query, ids):
    assert list(query.apply(frame)["id"]) == ids


def test_the_matrix_country_is_in_the_url_only_when_not_the_default():
    assert Query(matrix="ROK").to_url() == "?matrix=rok" and Query().to_url() == ""


# --- the filter registry and the story filter ---------------------------------------------------

@pytest.fixture(scope="module")
def real_record():
    from alliance.record import load_record

    from .conftest import REAL_EVENTS

    return load_record(REAL_EVENTS)


def test_every_filter_parameter_round_trips_through_the_url():
    from alliance.filters import FILTERS

    names = [name for flt in FILTERS for name in flt.names]
    assert names == ["topics", "kinds", "actors", "q", "from", "to", "importance", "story"]
    query = Query.from_url("?topics=trade&kinds=summit&actors=Park%20Chung-hee&q=tariff&from=2000&to=2010"
                           "&importance=2,3&story=korus-fta-signed")
    assert Query.from_url(query.to_url()) == query
    assert all(getattr(query, field) for flt in FILTERS for field in flt.fields)


def test_a_story_is_the_event_and_the_events_its_related_list_names(real_record):
    event = next(e for e in real_record.events if len(e.related) >= 3)
    shown = Query(story=event.id).apply(real_record.frame)
    assert set(shown["id"]) == {event.id, *event.related}
    assert list(shown["start"]) == sorted(shown["start"]), "a story reads from first step to last"
    # every event it shows also names the story's event (links are symmetric): a story is the same from either end
    assert all(event.id in related or shown_id == event.id for shown_id, related in zip(shown["id"], shown["related"], strict=True))


def test_a_story_combines_with_the_other_filters(real_record):
    event = next(e for e in real_record.events if len(e.related) >= 3)
    years = {e.date.first.year for e in real_record.events if e.id in {event.id, *event.related}}
    year = min(years)
    shown = Query(story=event.id, start=str(year), end=str(year)).apply(real_record.frame)
    assert 0 < len(shown) <= len(event.related) + 1
    assert set(shown["year"]) == {year}


def test_an_unknown_story_is_dropped_like_any_unknown_id(real_record):
    query = Query.from_url("?story=no-such-event&topics=trade", events=real_record.ids)
    assert query.story is None and query.topics == ("trade",)
    assert Query.from_url("?story=<script>").story is None
