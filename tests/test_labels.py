"""Issue 12 in the core: short labels, the greedy placement, labels and key on exports, the record's span."""

from __future__ import annotations

import html
import random
from datetime import date

import pytest

from alliance import view
from alliance.export import slide_figure
from alliance.figures import plot_data_of, timeline_figure
from alliance.labels import ELLIPSIS, era_label_spots, place_labels, short_label, text_width
from alliance.query import Query
from alliance.record import load_record, record_span
from components.state import parse

from .conftest import REAL_EVENTS, event, make_record


@pytest.mark.parametrize("title, label, expected", [
    ("THAAD deployed", None, "THAAD deployed"),
    ("Trump and Kim Jong Un hold the first U.S.-North Korea summit in Singapore", None, "Trump and Kim Jong Un hold…"),
    ("North Korea conducts its sixth and most powerful nuclear test", None, "North Korea conducts its sixth…"),
    ("Allies suspend the August Ulchi Freedom Guardian exercise", None, "Allies suspend the August Ulchi…"),
    ("A" * 50, None, "A" * 31 + ELLIPSIS),  # one long word: cut inside it, and the ellipsis says so
    ("Anything at all", "Singapore Trump-Kim summit", "Singapore Trump-Kim summit"),
])
def test_short_labels_never_cut_a_word_without_an_ellipsis(title, label, expected):
    text = short_label(title, label)
    assert text == expected and len(text) <= 40
    if label is None and text != title:
        assert text.endswith(ELLIPSIS) and title.startswith(text[:-1])
        assert title[len(text) - 1] == " " or len(text[:-1].split()) == 1  # the cut falls between words


def test_placed_labels_never_overlap_each_other_or_a_marker_and_stay_inside():
    rng = random.Random(7)
    n = 120
    px = [rng.uniform(0, 900) for _ in range(n)]
    py = [rng.choice([40, 90, 140, 190, 240]) + rng.choice([-10, 0, 10]) for _ in range(n)]
    radius = [rng.choice([4, 5.5, 8]) for _ in range(n)]
    events = [(f"Event number {i}", [i]) for i in range(n)]
    placed = place_labels(events, px, py, radius, lambda t: text_width(t, 11) + 6, 900, 280, 14, ceiling=20)
    assert 20 < len(placed) < n  # a crowded plot: many fit, not all
    boxes = [(px[p.row] + p.dx - p.width / 2, py[p.row] + p.dy - p.height / 2,
              px[p.row] + p.dx + p.width / 2, py[p.row] + p.dy + p.height / 2) for p in placed]
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[1] >= 20 and a[2] <= 900 and a[3] <= 280
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
        for x, y, r in zip(px, py, radius, strict=True):
            assert not (a[0] < x + r and x - r < a[2] and a[1] < y + r and y - r < a[3])


def test_an_event_in_several_lanes_is_labelled_once_and_priority_comes_first():
    # two markers of one event and a rival that wants the same spot: the first event in the list wins it
    px, py, radius = [100, 100, 104], [50, 150, 50], [5, 5, 5]
    placed = place_labels([("Landmark", [0, 1]), ("Minor", [2])], px, py, radius, lambda t: 60, 400, 200, 14)
    assert [p.text for p in placed].count("Landmark") == 1


def test_administration_names_fit_their_visible_part_or_are_left_out():
    # Truman 1945-1953 seen from 1948: named inside 1948-1953, never clipped at the edge
    day = 86_400_000
    spots = era_label_spots([0, 8 * 365 * day], [8 * 365 * day, 16 * 365 * day], ["Truman", "Eisenhower"],
                            (3 * 365 * day, 16 * 365 * day), 1000, lambda t: text_width(t, 11))
    assert [i for i, _ in spots] == [0, 1] and spots[0][1] == (3 * 365 * day + 8 * 365 * day) / 2
    narrow = era_label_spots([0], [30 * day], ["Eisenhower"], (0, 40 * 365 * day), 1000, lambda t: text_width(t, 11))
    assert narrow == []  # a month-long sliver at 40 years cannot hold the name


@pytest.fixture(scope="module")
def real():
    return load_record(REAL_EVENTS)


def test_an_exported_slide_labels_every_event_of_a_narrow_window_and_carries_the_key(real):
    query = Query(start="2018", end="2018")  # slides show whole years
    figure = slide_figure(real, query, "timeline", "1920x1080")
    labels = [a["text"] for a in figure["layout"]["annotations"] if a.get("name") == "event-label"]
    assert len(labels) == len(query.apply(real.frame)) and 20 <= len(labels) <= 60
    assert "Singapore Trump-Kim summit" in labels and "Trump" in [a["text"] for a in figure["layout"]["annotations"]
                                                          if a.get("name") == "era-label"]
    key = [t["name"] for t in figure["data"] if t.get("showlegend")]
    assert "Summit" in key and "Treaty" not in key and "size: landmark" in key
    wide = slide_figure(real, Query(start="2017", end="2019"), "timeline", "1920x1080")  # ~100 events: landmarks first
    shown = {a["text"] for a in wide["layout"]["annotations"] if a.get("name") == "event-label"}
    landmarks = Query(start="2017", end="2019", importance=(3,)).apply(real.frame)
    assert {short_label(row.title, row.label if isinstance(row.label, str) else None) for row in landmarks.itertuples()} <= shown


def test_no_kind_symbol_is_hollow_and_a_month_dated_call_is_visible(real):
    assert not [k.id for k in real.vocab.kinds if "open" in k.symbol]
    figure = timeline_figure(plot_data_of(real), real.vocab, window=("2020-01-01", "2020-12-31"))
    for trace in figure["data"]:
        if trace.get("mode") != "markers" or trace.get("showlegend") or not trace.get("customdata"):
            continue
        colours = trace["marker"]["color"] if isinstance(trace["marker"]["color"], list) else [trace["marker"]["color"]]
        lines = trace["marker"]["line"]["color"]
        lines = lines if isinstance(lines, list) else [lines] * len(colours)
        for fill, line in zip(colours * (len(lines) // len(colours) or 1), lines, strict=False):
            assert not (fill == "white" and line == "white")  # never white on white


def test_dim_mode_greys_spans_and_date_bars_too(tmp_path):
    record = load_record(make_record(tmp_path / "events", {
        "2000-01-02-a.yaml": event(id="a", date="2000-01-02"),
        "2001-05-b.yaml": event(id="b", date="2001-05", end_date="2003-01", title="A span"),
    }))
    keep = (record.frame["id"] == "a").to_numpy()
    figure = timeline_figure(plot_data_of(record), record.vocab, keep=keep, mode="dim")
    names = {html.unescape(t["name"]): t for t in figure["data"]}
    assert names["Security & defense spans (dimmed)"]["line"]["color"] == names["Security & defense precision (dimmed)"][
        "line"]["color"] != "#0072B2"


def test_the_span_ends_at_the_later_of_this_year_and_the_last_event(tmp_path):
    record = load_record(make_record(tmp_path / "events", {
        "2020-01-01-a.yaml": event(id="a", date="2020-01-01"), "2027-03-01-b.yaml": event(id="b", date="2027-03-01"),
    }))
    assert record_span(record.frame, date(2026, 12, 1)) == (1948, 2027)
    assert record_span(record.frame, date(2031, 1, 1)) == (1948, 2031)
    span = (1948, 2027)
    assert view.year_window(Query(start="2027", end="2027"), span) == (2027, 2027)
    assert view.year_window(Query(end="1800"), span) == (1948, 2027)  # never a reversed window
    assert view.year_window(Query(start="2030"), span) == (1948, 2027)
    figure = timeline_figure(plot_data_of(record), record.vocab, window=("2027-01-01", "2027-12-31"))
    assert figure["layout"]["xaxis"]["range"] == ["2027-01-01T00:00:00", "2027-12-31T00:00:00"]


def test_a_window_outside_the_record_is_dropped_from_the_url(real):
    assert parse(real, "?to=1800&topics=trade") == Query(topics=("trade",))
    assert parse(real, "?from=2100") == Query()
