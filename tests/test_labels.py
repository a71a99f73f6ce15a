"""Issue 12 in the core: short labels, the greedy placement, labels and key on exports, the record's span."""

from __future__ import annotations

import html
import json
import random
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from alliance import view
from alliance.export import slide_figure, view_figure
from alliance.figures import plot_data_of, timeline_figure
from alliance.labels import (
    ELLIPSIS,
    NARROW_VIEW,
    _place_pass,
    anchors,
    compact_label,
    era_label_spots,
    label_annotations,
    place_labels,
    short_label,
    text_width,
)
from alliance.query import Query
from alliance.record import load_record, record_span
from components.callbacks import KEY_ROOM, dashboard_timeline
from components.state import parse

from .conftest import REAL_EVENTS, event, label_forms, make_record, unlabelled

LABELS_JS = Path(__file__).resolve().parent.parent / "assets" / "labels.js"


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


@pytest.mark.parametrize("title, label", [
    ("Trump and Kim Jong Un hold the first U.S.-North Korea summit in Singapore", None),
    ("Anything at all", "Singapore Trump-Kim summit"),
    ("A" * 50, None),
])
def test_a_compact_label_is_shorter_and_still_cut_at_a_word(title, label):
    full, compact = short_label(title, label), compact_label(title, label)
    assert compact is not None and len(compact) < len(full) and compact.endswith(ELLIPSIS)
    stem = compact[:-1]
    assert full.startswith(stem) and (full[len(stem)] == " " or len(stem.split()) == 1)
    assert compact_label("THAAD deployed") is None  # short enough already: no second form


def _boxes(placed, px, py):
    return [(px[p.row] + p.dx - p.width / 2, py[p.row] + p.dy - p.height / 2,
             px[p.row] + p.dx + p.width / 2, py[p.row] + p.dy + p.height / 2) for p in placed]


def _overlapping(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _crowded_scene(seed: int, n: int, width: float = 700, height: float = 300):
    """Markers in six lanes with the clusters a real year has (several events within days of each other)."""
    rng = random.Random(seed)
    centres = [rng.uniform(20, width - 20) for _ in range(max(3, n // 6))]
    px, py, radius, events = [], [], [], []
    for i in range(n):
        rows = []
        for lane in rng.sample(range(6), rng.choice([1, 1, 2, 3])):
            rows.append(len(px))
            px.append(min(width, max(0, rng.gauss(rng.choice(centres), 25))))
            py.append(40 + lane * 42 + rng.choice([0, 7, -7]))
            radius.append(rng.choice([4, 5.5, 8]))
        events.append((f"{rng.choice(['Summit', 'Talks', 'Missile test', 'Agreement'])} number {i}", rows,
                       f"Event {i}…"))
    return events, px, py, radius, width, height


@pytest.mark.parametrize("seed", range(6))
def test_in_a_narrow_view_every_event_gets_its_label_without_any_overlap(seed):
    events, px, py, radius, width, height = _crowded_scene(seed, n=NARROW_VIEW)  # some only in their compact form
    placed = place_labels(events, px, py, radius, lambda t: text_width(t, 11) + 6, width, height, 14, ceiling=20)
    assert sorted(p.row for p in placed) == sorted({p.row for p in placed})
    owners = {row: i for i, (_, rows, _) in enumerate(events) for row in rows}
    assert sorted(owners[p.row] for p in placed) == list(range(len(events)))  # every event, each once
    boxes = _boxes(placed, px, py)
    for i, a in enumerate(boxes):
        tiny = 1e-9  # the box is rebuilt from its centre's offset: rounding
        assert a[0] >= -tiny and a[1] >= 20 - tiny and a[2] <= width + tiny and a[3] <= height + tiny
        assert not [b for b in boxes[i + 1:] if _overlapping(a, b)]
        assert not [(x, y) for x, y, r in zip(px, py, radius, strict=True) if _overlapping(a, (x - r, y - r, x + r, y + r))]


def test_when_full_labels_leave_events_out_every_event_is_named_in_its_compact_form():
    """A narrow view so crowded that the full labels, placed in priority order, leave three events without
    room (a 1280 px screen on the autumn of 2022): the second run, compact forms first, names all of them."""
    events, px, py, radius, width, height = _crowded_scene(2, NARROW_VIEW, height=280)
    width_of = lambda t: text_width(t, 11) + 6  # noqa: E731
    first_run = _place_pass(events, px, py, radius, width_of, width, height, 14, 20, compact_first=False)
    assert len(first_run) < len(events)  # the scene needs the second run
    placed = place_labels(events, px, py, radius, width_of, width, height, 14, ceiling=20)
    owners = {row: i for i, (_, rows, _) in enumerate(events) for row in rows}
    assert sorted(owners[p.row] for p in placed) == list(range(len(events)))
    assert {p.text for p in placed} <= {text for e in events for text in (e[0], e[2])}
    boxes = _boxes(placed, px, py)
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if _overlapping(a, b)]


def _placed_in_the_browser_script(scenes: list[dict]) -> list:
    """assets/labels.js's own `place`, run by node on the same scenes."""
    node = shutil.which("node")
    assert node, "node (the test tools' JavaScript runtime, see package.json) is needed to check assets/labels.js"
    script = f"""
      const place = require({json.dumps(str(LABELS_JS))}).place;
      const scenes = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      console.log(JSON.stringify(scenes.map(s => place(s.events, s.px, s.py, s.radius, t => s.widths[t], s.w, s.h,
                                                       s.ceiling).map(p => [p.row, p.text, p.box]))));"""
    result = subprocess.run([node, "-e", script], input=json.dumps(scenes), capture_output=True, text=True, check=True,
                            timeout=60)
    return json.loads(result.stdout)


def test_the_browser_places_exactly_the_labels_an_export_places():
    """labels.js is labels.py line for line: on the same scenes (narrow and wide, events in several lanes,
    compact forms) both put the same labels in the same boxes."""
    scenes = []
    for seed, n, height in ((1, 30, 300), (2, NARROW_VIEW, 300), (2, NARROW_VIEW, 280), (3, 150, 300), (4, 400, 300)):
        events, px, py, radius, width, height = _crowded_scene(seed, n, height=height)  # (2, 60, 280): a second run
        widths = {text: round(text_width(text, 11), 2) + 6 for e in events for text in (e[0], e[2])}
        scenes.append(dict(events=[list(e) for e in events], px=px, py=py, radius=radius, widths=widths, w=width,
                           h=height, ceiling=20))
    browser = _placed_in_the_browser_script(scenes)
    for scene, theirs in zip(scenes, browser, strict=True):
        ours = place_labels(scene["events"], scene["px"], scene["py"], scene["radius"], scene["widths"].get, scene["w"],
                            scene["h"], 14, ceiling=20)
        assert len(ours) == len(theirs) > 0
        for mine, (row, text, box) in zip(ours, theirs, strict=True):
            left = scene["px"][row] + mine.dx - mine.width / 2
            assert (mine.row, mine.text) == (row, text) and left == pytest.approx(box[0], abs=1e-6)
            assert scene["py"][row] + mine.dy - mine.height / 2 == pytest.approx(box[1], abs=1e-6)


def test_an_event_whose_bar_reaches_into_the_view_is_labelled_at_its_edge():
    day = 86_400_000
    # a span that began before the view (marker off screen) and one whose marker is in view
    px, radius = anchors([-30 * day, 10 * day], [60 * day, None], [5, 5], (0, 100 * day), 1000)
    assert px == [0.0, 100.0] and radius == [0.0, 5]
    px, _ = anchors([-30 * day], [-10 * day], [5], (0, 100 * day), 1000)
    assert px[0] < 0  # a bar that ends before the view: nothing of it shows, no label


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


@pytest.mark.parametrize("size", ["1920x1080", "1280x720"])
def test_an_exported_slide_labels_every_event_of_a_narrow_window_and_carries_the_key(real, size):
    query = Query(start="2018", end="2018")  # slides show whole years
    figure = slide_figure(real, query, "timeline", size)
    labels = [a["text"] for a in figure["layout"]["annotations"] if a.get("name") == "event-label"]
    assert len(labels) == len(set(labels)) == len(query.apply(real.frame)) and 20 <= len(labels) <= 60
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


def test_while_play_runs_the_lanes_are_those_of_the_whole_filtered_record(real):
    """1965-1974 has health events (1974), 1967-1976 no trade ones: Play's frames keep every lane the filters
    keep, so none appears and collapses between ticks; a still view shows only the lanes in its window."""
    from alliance.export import view_figure

    def lanes(start, end, steady):
        ticks = view_figure(real, Query(start=start, end=end), "timeline", steady_lanes=steady)["layout"]["yaxis"]["ticktext"]
        return [html.unescape(t.replace("<br>", " ")) for t in ticks if "president" not in t]

    everything = [t.label for t in real.vocab.topics]
    assert lanes("1965", "1974", True) == lanes("1967", "1976", True) == everything
    assert "Trade & economy" not in lanes("1967", "1976", False)
    assert "Trade & economy" in lanes("1965", "1974", False)


@pytest.mark.parametrize("width, height", [(855, 485), (1260, 680)])  # the chart at 1280 and 1920 px
def test_in_every_five_year_window_every_landmark_is_named(real, width, height):
    """Issue 12: as the window widens, landmarks are labelled first. Through the whole record, every
    five-year window at the dashboard's smallest and largest chart sizes names each of its landmarks
    (in full or compact form), however crowded the years around it are."""
    first, last = real.span
    missing = []
    for start in range(first, last - 3):
        query = Query(start=str(start), end=str(start + 4))
        figure = view_figure(real, query, "timeline", height=height)
        figure["layout"]["margin"]["b"] = KEY_ROOM  # the room the dashboard keeps under the plot for its key
        shown = {a["text"] for a in label_annotations(figure, width=width, height=height)}
        for row in query.with_changes(importance=(3,)).apply(real.frame).itertuples():
            label = row.label if isinstance(row.label, str) else None
            if not {short_label(row.title, label), compact_label(row.title, label)} & shown:
                missing.append((start, row.title))
    assert not missing


@pytest.mark.parametrize("width, height", [(855, 485), (1260, 680)])  # the chart at 1280 and 1920 px
def test_in_every_one_year_window_every_event_is_named(real, width, height):
    """Issue 12: at a narrow window every event in view has its words. Through the whole record, every
    single year (at most NARROW_VIEW events in each) names every one of its events at the dashboard's
    smallest and largest chart sizes, in full or compact form; counted against the filtered frame,
    not against the figure's own candidates."""
    first, last = real.span
    missing = []
    for year in range(first, last + 1):
        query = Query(start=str(year), end=str(year))
        events = label_forms(real, query)
        assert len(events) <= NARROW_VIEW, year
        figure = dashboard_timeline(real, query)
        figure["layout"]["margin"]["b"] = KEY_ROOM
        texts = [a["text"] for a in label_annotations(figure, width=width, height=height)]
        missing += [(year, title) for title in unlabelled(events, texts)]
    assert not missing
