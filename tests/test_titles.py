"""Titles and source lines say what a chart shows, every filter in words, and never run off."""

from __future__ import annotations

from datetime import date

import pytest

from alliance.canvas import MIN_PT, Canvas, fitted_title, wrap
from alliance.filters import period_words
from alliance.labels import text_width
from alliance.query import Query
from alliance.record import load_record
from alliance.titles import filters_text, title_for

from .conftest import REAL_EVENTS


@pytest.fixture(scope="module")
def record():
    return load_record(REAL_EVENTS)


@pytest.mark.parametrize("search, window", [
    ("?from=2019-03&to=2019-03", "March 2019"),
    ("?from=2019&to=2019", "2019"),
    ("?from=2019-03-01&to=2019-03-31", "March 2019"),  # a whole month given as days is still that month
    ("?from=2019-01&to=2019-12", "2019"),
    ("?from=2000-06&to=2021", "June 2000–2021"),
    ("?from=2000&to=2021", "2000–2021"),
    ("?from=2018-06-12&to=2018-06-12", "12 June 2018"),
])
def test_a_window_reads_as_a_period_not_as_repeated_years(record, search, window):
    query = Query.from_url(search)
    title = title_for(record, query, "topics")
    assert f", {window} — events per year" in title
    assert "2019–2019" not in title and filters_text(record, query).endswith(window)


def test_an_open_window_is_bounded_by_the_record_in_the_title_and_left_open_in_the_filters(record):
    first = int(record.frame["year"].min())
    assert title_for(record, Query.from_url("?to=1990"), "timeline") == f"U.S.–ROK alliance, {first}–1990"
    assert filters_text(record, Query.from_url("?to=1990")) == "until 1990"
    assert filters_text(record, Query.from_url("?from=2000-06")) == "from June 2000"


def test_period_words_only_names_whole_periods():
    assert period_words(date(2019, 3, 1), date(2019, 3, 31)) == "March 2019"
    assert period_words(date(2019, 3, 2), date(2019, 3, 31)) is None
    assert period_words(date(2019, 1, 1), date(2020, 12, 31)) is None


def test_the_title_names_every_filter_in_words(record):
    actor = sorted(record.actors)[0]
    query = Query.from_url(f"?topics=security,trade&kinds=summit,treaty&actors={actor}&importance=2,3&q=fta"
                           "&from=2000-06&to=2021")
    title = title_for(record, query, "timeline")
    for words in ("Security & defense and Trade & economy", "June 2000–2021", "kinds: Summit, Treaty",
                  f"actors: {actor}", "importance: normal, landmark", "search: “fta”"):
        assert words in title
    assert "summit" not in title.replace("Summit", "")  # labels, not ids
    assert title_for(record, query, "timeline", filters=False) == ("U.S.–ROK alliance: Security & defense and "
                                                                  "Trade & economy, June 2000–2021")


def test_a_long_list_in_a_title_ends_and_n_more_but_the_source_line_names_all(record):
    kinds = [k.id for k in record.vocab.kinds][:6]
    query = Query(kinds=tuple(kinds))
    labels = [k.label for k in record.vocab.kinds][:6]
    assert f"kinds: {', '.join(labels[:3])} and 3 more kinds" in title_for(record, query, "timeline")
    assert f"kinds: {', '.join(labels)}" in filters_text(record, query)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (1600, 1200)])
def test_fitted_titles_stay_at_28_pt_or_more_and_inside_the_width(size):
    canvas = Canvas.filling_slide(*size)
    text = "U.S.–ROK alliance: " + "a very long list of issue areas and filters, " * 6 + "2000–2021"
    lines, font = fitted_title(text, canvas, canvas.width * 0.95)
    assert font / canvas.px_per_pt >= MIN_PT["title"]
    assert " ".join(lines) == " ".join(text.split())
    assert all(text_width(line, font) <= canvas.width * 0.95 for line in lines)
    short, short_font = fitted_title("U.S.–ROK alliance, 2000–2021", canvas, canvas.width * 0.95)
    assert short == ["U.S.–ROK alliance, 2000–2021"] and short_font > font  # a short title stays large


def test_a_canvas_turns_points_into_pixels_as_the_picture_is_shown():
    assert Canvas.filling_slide(1920, 1080).px(28) == 56  # 2 px per point on a 13.333-inch slide
    assert Canvas.filling_slide(1600, 1200).px(14) == 32  # 2.22 px per point on a 10-inch slide
    assert Canvas.box(8.0, 4.0, dpi=160).px(14) == 32  # a picture for an 8-inch box of a deck slide
    assert wrap("one two three", 10, 1) == ["one", "two", "three"]  # a word wider than the line keeps its own line
