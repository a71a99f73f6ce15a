"""Figures: lanes by issue area, precision and spans visible, administrations as bands, text escaped."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import pytest

from alliance.figures import pack_subrows, plot_data_of, timeline_figure, topic_matrix_figure, topic_year_figure
from alliance.query import Query
from alliance.record import load_record
from alliance.view import year_window

from .conftest import REAL_EVENTS, event, make_record


@pytest.fixture
def record(tmp_path):
    return load_record(make_record(tmp_path / "events", {
        "1953-10-01-treaty.yaml": event(id="treaty", date="1953-10-01", importance="3"),
        "1958-nukes.yaml": event(id="nukes", date="1958", kind="military"),
        "1999-clinton.yaml": event(id="clinton", date="1999", topics="[trade]", kind="agreement"),
        "2018-11-20-group.yaml": event(id="group", date="2018-11-20", end_date="2021-06", topics="[north-korea, security]",
                                       kind="institution", title="'<script>alert(1)</script> & <img src=x onerror=alert(2)>'"),
    }))


def timeline(record, **options) -> go.Figure:
    """The timeline as plotly reads it: go.Figure validates every property of the plain-dict figure."""
    return go.Figure(timeline_figure(plot_data_of(record), record.vocab, **options))


def markers(figure) -> dict:
    """Marker traces by lane name as a reader sees it (names reach plotly HTML-escaped)."""
    return {html.unescape(t.name): t for t in figure.data if getattr(t, "mode", None) == "markers"
            and "Selected" not in t.name and "Search" not in t.name and not t.showlegend}


def test_lanes_follow_vocabulary_order_and_empty_lanes_collapse(record):
    figure = timeline(record)
    assert list(markers(figure)) == ["Security & defense", "North Korea", "Trade & economy"]
    ticks = [html.unescape(tick) for tick in figure.layout.yaxis.ticktext]
    assert ticks[:3] == ["Security & defense", "North Korea", "Trade & economy"]
    assert ticks[-2:] == ["ROK president", "U.S. president"]


def test_event_in_two_areas_appears_in_both_lanes(record):
    lanes = {name: list(t.customdata) for name, t in markers(timeline(record)).items()}
    assert lanes["Security & defense"] == ["treaty", "nukes", "group"] and lanes["North Korea"] == ["group"]


def test_only_asked_lanes_are_drawn(record):
    assert list(markers(timeline(record, lanes=("north-korea",)))) == ["North Korea"]


def test_imprecise_dates_are_hollow_and_centred_with_a_bar_over_their_period(record):
    security = markers(timeline(record))["Security & defense"]
    nukes = list(security.customdata).index("nukes")
    assert security.marker.color[nukes] == "white" and security.marker.color[0] != "white"
    assert pd.Timestamp(security.x[nukes]).strftime("%Y-%m") == "1958-07"  # middle of the year
    bars = next(t for t in timeline(record).data if t.name == "Security &amp; defense precision")
    assert [pd.Timestamp(x).year for x in bars.x if x is not None] == [1958, 1958]


def test_spans_are_drawn_as_bars(record):
    spans = next(t for t in timeline(record).data if t.name == "Security &amp; defense spans")
    assert [pd.Timestamp(x).strftime("%Y-%m") for x in spans.x if x is not None] == ["2018-11", "2021-06"]


def test_dim_mode_greys_out_filtered_events_instead_of_hiding_them(record):
    keep = record.frame["id"] == "treaty"
    hidden = markers(timeline(record, keep=keep))
    dimmed = markers(timeline(record, keep=keep, mode="dim"))
    assert list(hidden["Security & defense"].customdata) == ["treaty"]
    assert list(dimmed["Security & defense"].customdata) == ["treaty", "nukes", "group"]
    assert dimmed["Security & defense"].marker.opacity[0] > dimmed["Security & defense"].marker.opacity[2]


def test_selected_and_matching_events_are_ringed(record):
    figure = timeline(record, selected="group", highlight=record.frame["id"] == "treaty")
    rings = {t.name: list(t.customdata) for t in figure.data if t.name in ("Selected event", "Search matches")}
    assert rings == {"Selected event": ["group", "group"], "Search matches": ["treaty"]}


def test_administrations_are_labelled_bands(record):
    bands = {t.name: t for t in timeline(record).data if t.type == "bar"}
    assert bands["US administrations"].meta["text"] == ["Clinton"]
    assert bands["ROK administrations"].meta["text"] == ["Kim"]  # Korean family names come first


def test_hover_shows_date_title_and_precision_with_markup_escaped(record):
    security = markers(timeline(record))["Security & defense"]
    hover = list(security.hovertext)
    assert "1 October 1953" in hover[0] and "A test event" in hover[0]
    assert "only the year is known" in hover[1]
    assert "<script>" not in hover[2] and "&lt;script&gt;" in hover[2] and "<img" not in hover[2]


def test_dense_markers_are_spread_over_subrows():
    days = pd.Series(pd.to_datetime(["2000-01-01", "2000-01-05", "2000-01-09", "2010-01-01"]))
    offsets = pack_subrows(days, min_gap_days=30)
    assert len(set(offsets[:3])) == 3 and offsets[3] == 0


def test_topic_views_count_events(record):
    years = {html.unescape(t.name): dict(zip(t.x, t.y, strict=False)) for t in go.Figure(topic_year_figure(plot_data_of(record), record.vocab)).data}
    # "group" lists North Korea first: it is stacked there once, not in Security & defense as well.
    assert years == {"Security & defense": {1953: 1, 1958: 1}, "North Korea": {2018: 1}, "Trade & economy": {1999: 1}}
    matrix = go.Figure(topic_matrix_figure(plot_data_of(record), record.vocab, country="US")).data[0]
    assert list(matrix.x) == ["Clinton 1993"] and list(matrix.z[list(matrix.y).index("Trade &amp; economy")]) == [1]


@pytest.mark.parametrize("years, ticks", [((2000, 2021), 2), ((2015, 2018), 1), (None, 10)])
def test_events_per_year_spans_the_time_window_with_readable_ticks(record, years, ticks):
    layout = go.Figure(topic_year_figure(plot_data_of(record), record.vocab, years=years)).layout
    first, last = years or (1953, 2018)  # by default, the years the record covers
    assert tuple(layout.xaxis.range) == (first - 0.5, last + 0.5)
    assert layout.xaxis.dtick == ticks


def test_events_per_year_ticks_whole_numbers_for_small_counts(record):
    data = plot_data_of(record)
    few = go.Figure(topic_year_figure(data, record.vocab, lanes=("trade",))).layout.yaxis
    assert few.dtick == 1
    real = load_record(REAL_EVENTS)  # years with 20+ events
    many = go.Figure(topic_year_figure(plot_data_of(real), real.vocab)).layout.yaxis
    assert many.dtick is None  # plotly's own whole-number steps for taller bars


def drawn_markers(figure) -> list[str]:
    return [i for t in markers(figure).values() for i in t.customdata]


def test_above_the_marker_limit_lanes_show_density_and_the_most_important_events(record, monkeypatch):
    monkeypatch.setattr("alliance.figures.MAX_POINTS", 2)
    monkeypatch.setattr("alliance.figures.LANDMARKS", 1)
    figure = timeline(record)
    density = {html.unescape(t.name): [z for z in t.z[0] if z] for t in figure.data if t.type == "heatmap"}
    assert sorted(density) == ["North Korea density", "Security & defense density", "Trade & economy density"]
    assert sum(sum(z) for z in density.values()) == 5  # every (event, lane) pair is counted once
    assert drawn_markers(figure) == ["treaty"]  # the one landmark (importance 3)
    assert "4 events" in figure.layout.annotations[0].text


def test_a_narrow_window_under_the_limit_draws_every_event_near_it(record, monkeypatch):
    monkeypatch.setattr("alliance.figures.MAX_POINTS", 2)
    figure = timeline(record, window=("2017-01-01", "2021-12-31"))
    assert drawn_markers(figure) == ["group", "group"] and not figure.layout.annotations
    assert not [t for t in figure.data if t.type == "heatmap"]


def test_under_the_limit_every_event_is_drawn_whatever_the_window(record):
    figure = timeline(record, window=("2017-01-01", "2021-12-31"))
    assert sorted(drawn_markers(figure)) == ["clinton", "group", "group", "nukes", "treaty"]  # panning shows the rest


def test_the_dashboard_draws_only_the_events_near_its_window(record):
    """The dashboard asks for a new figure as the window moves, so it draws the events within half a window's
    width of it (a zoom step restyles fewer markers); an export or embed, which cannot ask, draws all."""
    near = timeline(record, window=("2017-01-01", "2021-12-31"), near_only=True)  # mid-2014 to mid-2024 drawn
    assert sorted(drawn_markers(near)) == ["group", "group"]
    gap = timeline(record, window=("2012-01-01", "2015-12-31"), near_only=True)  # 2010-2017: the 2018 group is not
    assert drawn_markers(gap) == []
    wide = timeline(record, window=("1990-01-01", "2009-12-31"), near_only=True)  # 1980-2019: clinton and group
    assert sorted(drawn_markers(wide)) == ["clinton", "group", "group"]
    whole = timeline(record, window=("1953-01-01", "2021-12-31"), near_only=True)
    assert sorted(drawn_markers(whole)) == ["clinton", "group", "group", "nukes", "treaty"]


def year_bars(figure: dict) -> dict[int, int]:
    """Height of each year's stacked bar."""
    totals: dict[int, int] = {}
    for trace in figure["data"]:
        for x, y in zip(trace["x"], trace["y"], strict=True):
            totals[x] = totals.get(x, 0) + y
    return totals


@pytest.mark.parametrize("search", ["", "?q=gangneung", "?from=2017&to=2019", "?topics=security,trade&from=2000&to=2021",
                                    "?topics=north-korea,security", "?kinds=summit&from=1990", "?from=1951&to=1952"])
def test_events_per_year_bars_add_up_to_the_distinct_events_in_view(search):
    real = load_record(REAL_EVENTS)
    query = Query.from_url(search)
    figure = topic_year_figure(plot_data_of(real), real.vocab, keep=query.mask(real.frame).to_numpy(),
                               lanes=query.topics, years=year_window(query, real.span))
    in_view = query.apply(real.frame)
    first, _ = year_window(query, real.span)
    by_year = {int(y): int(n) for y, n in in_view[in_view["year"] >= first].groupby("year").size().items()}
    assert year_bars(figure) == by_year  # counted another way: distinct rows of the filtered frame, by year
    earlier = int((in_view["year"] < first).sum())
    notes = " ".join(a["text"] for a in figure["layout"]["annotations"])
    assert (f"{earlier} event" in notes) if earlier else "before" not in notes
    assert sum(by_year.values()) + earlier == len(in_view)
    assert all(isinstance(y, int) for t in figure["data"] for y in t["y"]), "counts are whole numbers"


def test_gangneung_search_counts_each_matching_event_once():
    real = load_record(REAL_EVENTS)
    query = Query.from_url("?q=gangneung")
    figure = topic_year_figure(plot_data_of(real), real.vocab, keep=query.mask(real.frame).to_numpy(),
                               lanes=query.topics, years=year_window(query, real.span))
    matched = query.apply(real.frame)
    assert "gangneung-submarine-infiltration" in set(matched["id"])
    assert sum(year_bars(figure).values()) == len(matched)  # each matching event counted once, not once per area


def test_hover_lists_the_tag_counts_of_each_area_and_the_legend_says_what_colour_means(record):
    figure = topic_year_figure(plot_data_of(record), record.vocab)
    north_korea = next(t for t in figure["data"] if t["name"] == "North Korea")
    assert "2018: 1 event" in north_korea["hovertext"][0]
    assert "Security &amp; defense: 1" in north_korea["hovertext"][0] and "North Korea: 1" in north_korea["hovertext"][0]
    assert "first-listed" in figure["layout"]["legend"]["title"]["text"]
    assert "once" in figure["layout"]["yaxis"]["title"]["text"]


def test_with_few_years_in_view_each_bar_is_one_year_wide(record):
    figure = go.Figure(topic_year_figure(plot_data_of(record), record.vocab, years=(2017, 2019)))
    assert [t.width for t in figure.data] == [0.8]  # only 2018 is in the window, drawn 0.8 of a year wide
    assert figure.layout.yaxis.tickformat == "d" and figure.layout.xaxis.tickformat == "d"


def matrix_of(search: str, real=None) -> tuple[dict, object]:
    real = real or load_record(REAL_EVENTS)
    query = Query.from_url(search)
    figure = topic_matrix_figure(plot_data_of(real), real.vocab, keep=query.mask(real.frame).to_numpy(),
                                 lanes=query.topics, country=query.matrix, years=year_window(query, real.span))
    return figure, real


def test_matrix_rows_are_the_areas_in_view_and_columns_the_administrations_in_the_window():
    figure, real = matrix_of("?topics=security,trade&from=2000&to=2021")
    cells = figure["data"][0]
    assert cells["y"] == ["Security &amp; defense", "Trade &amp; economy"]  # escaped: plotly shows "&"
    assert cells["x"] == ["Clinton 1993", "Bush 2001", "Obama 2009", "Trump 2017", "Biden 2021"]
    rok, _ = matrix_of("?topics=security,trade&from=2000&to=2021&matrix=rok", real)
    assert rok["data"][0]["x"] == ["Kim 1998", "Roh 2003", "Lee 2008", "Park 2013", "Moon 2017"]
    assert "ROK president" in rok["layout"]["xaxis"]["title"]["text"]
    assert "U.S. president" in figure["layout"]["xaxis"]["title"]["text"]


def test_a_matrix_cell_counts_the_events_tagged_with_its_area_under_that_president():
    figure, real = matrix_of("?topics=security,trade&from=2000&to=2021")
    cells = figure["data"][0]
    frame = Query.from_url("?topics=security,trade&from=2000&to=2021").apply(real.frame)
    obama = next(e for e in real.vocab.eras if e.name == "Barack Obama")
    under = frame[(frame["start"] >= pd.Timestamp(obama.start.first)) & (frame["start"] < pd.Timestamp(obama.end.first))]
    column = cells["x"].index("Obama 2009")
    for row, area in enumerate(("security", "trade")):
        assert cells["z"][row][column] == int(under["topics"].map(lambda t, a=area: a in t).sum())
    assert "counts in each row" in cells["hovertemplate"]
    assert cells["customdata"][1][column].startswith("trade|")


def test_an_empty_matrix_looks_empty_and_says_so():
    figure, _ = matrix_of("?q=no-such-words-anywhere")
    cells = go.Figure(figure).data[0]
    assert cells.zmin == 0 and cells.zmax >= 1  # zeros take the white end of the scale, not its middle
    assert cells.colorscale[0][1] in ("#ffffff", "rgb(255, 255, 255)")
    assert "No events in view" in figure["layout"]["annotations"][0]["text"]
