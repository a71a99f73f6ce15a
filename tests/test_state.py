"""The view reducer and navigation rules: every user action, as a table of before → after."""

from __future__ import annotations

from datetime import date

import pytest

from alliance import view
from alliance.figures import plot_data_of, timeline_figure, topic_matrix_figure
from alliance.query import Query
from alliance.record import load_record
from components import ids
from components.state import Action, controls_for, next_query, parse

from .conftest import event, make_record

NARRATIVE = """\
id: story
title: A story
framing: Two steps.
steps:
  - event: treaty
    note: First.
  - event: group
    note: Second.
"""


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    folder = make_record(tmp_path_factory.mktemp("rec") / "events", {
        "1953-10-01-treaty.yaml": event(id="treaty", date="1953-10-01", importance="3"),
        "2007-06-30-korus.yaml": event(id="korus", date="2007-06-30", topics="[trade]", kind="agreement",
                                       title="KORUS FTA signed"),
        "2018-11-20-group.yaml": event(id="group", date="2018-11-20", topics="[north-korea, security]"),
    })
    (folder / "narratives").mkdir()
    (folder / "narratives" / "story.yaml").write_text(NARRATIVE)
    return load_record(folder)


ALL_TOPICS = ["security", "north-korea", "alliance-politics", "trade", "china-region", "health-global", "technology", "people"]


@pytest.mark.parametrize("before, action, after", [
    (Query(), Action(ids.TOPIC_FILTER, ["trade"]), Query(topics=("trade",))),
    (Query(topics=("trade",)), Action(ids.TOPIC_FILTER, ALL_TOPICS), Query()),
    (Query(), Action(ids.TOPIC_FILTER, []), Query(topics=("none",))),
    (Query(), Action(ids.KIND_FILTER, ["treaty"]), Query(kinds=("treaty",))),
    (Query(), Action(ids.IMPORTANCE_FILTER, [3, 1]), Query(importance=(1, 3))),
    (Query(), Action(ids.MODE, "dim"), Query(mode="dim")),
    (Query(), Action(ids.MODE, "<script>"), Query()),
    (Query(), Action(ids.WINDOW, [1960, 1990]), Query(start="1960", end="1990")),
    (Query(start="1960"), Action(ids.WINDOW, [1948, date.today().year]), Query()),
    (Query(), Action({"type": ids.DECADE, "index": 1970}), Query(start="1970", end="1979")),
    (Query(start="1970", end="1979"), Action({"type": ids.DECADE, "index": 0}), Query()),
    (Query(topics=("trade",), q="x"), Action(ids.RESET, 1), Query()),
    (Query(), Action(ids.TIMELINE, {"points": [{"customdata": "korus"}]}), Query(event="korus")),
    (Query(), Action(ids.TIMELINE, {"points": [{"customdata": "no-such-event"}]}), Query()),
    (Query(), Action(ids.TABLE, {"data": "group", "timestamp": 1767225600000}), Query(event="group")),
    (Query(event="group"), Action({"type": ids.RELATED, "index": "korus"}, 1), Query(event="korus")),
    (Query(event="korus"), Action(ids.CLOSE_DETAIL, 1), Query()),
    (Query(), Action(ids.NEXT_EVENT, 1), Query(event="treaty")),
    (Query(event="treaty"), Action(ids.NEXT_EVENT, 1), Query(event="korus")),
    (Query(event="treaty"), Action(ids.PREV_EVENT, 1), Query(event="group")),  # wraps around
    (Query(topics=("trade",), event="korus"), Action(ids.NEXT_EVENT, 1), Query(topics=("trade",), event="korus")),
    (Query(), Action(ids.TOPIC_YEARS, {"points": [{"customdata": "trade|2007"}]}), Query(topics=("trade",), start="2007", end="2007")),
    (Query(), Action(ids.TOPIC_YEARS, {"points": [{"customdata": "bogus|2007"}]}), Query()),
    (Query(), Action(ids.MATRIX_COUNTRY, "ROK"), Query(matrix="ROK")),
    (Query(matrix="ROK"), Action(ids.MATRIX_COUNTRY, "<b>"), Query()),
    (Query(matrix="ROK"), Action(ids.TOPIC_MATRIX, {"points": [{"customdata": "trade|rok-1998-02-25"}]}),
     Query(matrix="ROK", topics=("trade",), start="1998-02-25", end="2003-02-24")),  # column 0 of ROK presidents
    (Query(), Action(ids.NARRATIVE, "story"), Query(narrative="story", event="treaty", start="1950", end="1956")),
    (Query(narrative="story", event="treaty"), Action(ids.NARRATIVE_NEXT, 1),
     Query(narrative="story", event="group", start="2015", end="2021")),
    (Query(narrative="story", event="group"), Action(ids.NARRATIVE_NEXT, 1),
     Query(narrative="story", event="group", start="2015", end="2021")),  # stays on the last step
    (Query(narrative="story"), Action(ids.NARRATIVE, None), Query()),
    # "Show this story" opens the whole chain (the window too); pressed again, every event is back
    (Query(event="korus", start="2007", end="2007"), Action({"type": ids.STORY, "index": "korus"}, 1),
     Query(story="korus", event="korus")),
    (Query(story="korus", event="korus"), Action({"type": ids.STORY, "index": "korus"}, 1), Query(event="korus")),
    (Query(event="korus"), Action({"type": ids.STORY, "index": "no-such-event"}, 1), Query(event="korus")),
])
def test_next_query(record, before, action, after):
    assert next_query(record, before, action) == after


def test_search_filters_and_jumps_to_the_matches(record):
    query = next_query(record, Query(), Action(ids.SEARCH, "  korus  "))
    assert query.q == "korus" and (query.start, query.end) == ("2005", "2009")
    assert list(query.apply(record.frame)["id"]) == ["korus"]


@pytest.mark.parametrize("before", [Query(start="1962", end="1966"), Query(q="korus", start="2000", end="2001")])
def test_leaving_the_search_field_unchanged_keeps_the_view(record, before):
    """Tabbing through the search field sends its value on blur: the window a user chose stays."""
    assert next_query(record, before, Action(ids.SEARCH, f" {before.q} ")) == before


def test_era_preset_zooms_to_the_term(record):
    query = next_query(record, Query(), Action(ids.ERA_PRESET, "rok-1998-02-25"))
    assert (query.start, query.end) == ("1998-02-25", "2003-02-24")
    assert next_query(record, Query(), Action(ids.ERA_PRESET, "ROK:999")) == Query()


@pytest.mark.parametrize("country, name, term", [("US", "Bill Clinton", ("1993-01-20", "2001-01-20")),
                                                 ("ROK", "Kim Dae-jung", ("1998-02-25", "2003-02-24"))])
def test_clicking_an_administration_band_zooms_to_its_own_term(record, country, name, term):
    """Click the band as drawn (its customdata), in each row: an ROK band used to open a U.S. term."""
    figure = timeline_figure(plot_data_of(record), record.vocab)
    band = next(t for t in figure["data"] if t.get("name") == f"{country} administrations")
    clicked = band["customdata"][band["hovertext"].index(next(h for h in band["hovertext"] if h.startswith(name)))]
    query = next_query(record, Query(), Action(ids.TIMELINE, {"points": [{"customdata": clicked}]}))
    assert (query.start, query.end) == term


def test_a_matrix_cell_zooms_to_its_own_term(record):
    figure = topic_matrix_figure(plot_data_of(record), record.vocab, country="ROK")
    cell = figure["data"][0]["customdata"][0][0]
    query = next_query(record, Query(matrix="ROK"), Action(ids.TOPIC_MATRIX, {"points": [{"customdata": cell}]}))
    assert (query.start, query.end) == ("1998-02-25", "2003-02-24")


def test_parse_drops_unknown_ids(record):
    assert parse(record, "?event=nope&narrative=nope&kinds=treaty,nope&actors=Nobody") == Query(kinds=("treaty",))


def test_controls_reflect_the_query(record):
    controls = controls_for(record, Query(topics=("trade",), start="1990", q="fta"))
    assert controls[ids.TOPIC_FILTER] == ["trade"] and controls[ids.WINDOW] == [1990, record.span[1]]
    assert controls_for(record, Query())[ids.TOPIC_FILTER] == ALL_TOPICS
    assert controls_for(record, Query(matrix="ROK"))[ids.MATRIX_COUNTRY] == "ROK"


def test_neighbour_of_nothing_is_nothing(record):
    assert view.neighbour(record.frame.iloc[0:0], None, 1) is None
