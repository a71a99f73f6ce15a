"""bench/versus.py (issue 12 item 9): vis-timeline gets the dashboard's own rows and labels, its page cannot
be broken out of by record text, the steps and filter changes are real changes that keep the dashboard's
window, and the script runs end to end on a tiny record. Its timings are a benchmark, never asserted here."""

from __future__ import annotations

import json
import re
import sys

from alliance.figures import plot_data_of
from alliance.record import load_record

from .conftest import ROOT, event, make_record

sys.path.insert(0, str(ROOT / "bench"))

import versus  # noqa: E402


def test_vis_timeline_gets_one_item_per_lane_row_with_the_dashboards_label(tmp_path):
    folder = make_record(tmp_path / "events", {
        "2018-06-12-two-areas.yaml": event("two-areas", "2018-06-12", title="Singapore summit & the joint statement",
                        topics="[security, north-korea]", label="Singapore <summit>"),
        "2017-03-span.yaml": event("span", "2017-03", end_date="2017-09", topics="[trade]"),
    })
    record = load_record(folder)
    data = versus.vis_data(record)
    assert [g["id"] for g in data["groups"]] == [t.id for t in record.vocab.topics]
    rows = plot_data_of(record)
    assert len(data["items"]) == len(rows.x) == 3  # an event in two lanes is drawn in both, as on the dashboard
    two = [i for i in data["items"] if i["content"].startswith("Singapore")]
    assert {i["group"] for i in two} == {"security", "north-korea"}
    assert all(i["content"] == "Singapore &lt;summit&gt;" and i["type"] == "box" for i in two)  # text, not markup
    span = next(i for i in data["items"] if i["group"] == "trade")
    assert span["type"] == "range" and span["start"] < span["end"]


def test_the_vis_page_keeps_record_text_inside_its_data():
    data = {"groups": [{"id": "security", "content": "Security &amp; defense", "order": 0}],
            "items": [{"id": 0, "group": "security", "content": "</script><script>alert(1)</script>",
                       "type": "box", "start": "2018-06-12"}]}
    page = versus.vis_page(data, (2017, 2019), "t")
    assert "<script>alert(1)" not in page
    payload = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S).group(1)
    assert json.loads(payload) == data
    assert "start: '2017-01-01', end: '2019-12-31'" in page


def test_steps_move_the_view_inside_the_windows_years():
    steps = versus.step_ranges((2017, 2019), 13)
    assert all(a.startswith("2017-") and b.startswith("2019-") and a < b for a, b in steps)
    assert steps[0] != ("2017-01-01", "2019-12-31")  # the first step moves away from the page's own window
    assert all(one != two for one, two in zip(steps[:-1], steps[1:], strict=True))  # a step to where it is would draw nothing


def test_filter_clicks_are_changes_that_restore_the_whole_record_every_four():
    areas = ["a", "b", "c", "d", "e"]
    clicks = versus.area_toggles(areas, 8)
    assert clicks == ["a", "b", "a", "b", "c", "d", "c", "d"]
    assert versus.area_toggles(areas, 12)[8:] == ["a", "b", "a", "b"]


def test_targets_are_judged_as_the_issue_states_them():
    assert versus.verdict("real", "step", 48, 3.0) == "≤ 50 ms: met"
    assert versus.verdict("real", "filter", 160, 0.5) == "≤ 150 ms: **not met**"
    assert versus.verdict("1000", "filter", 90, 1.5) == "≤ 1.5× vis-timeline: met"
    assert versus.verdict("5000", "step", 90, 1.2) == "≤ 1× vis-timeline: **not met**"
    assert versus.verdict("5000", "first paint", 900, 0.01) == ""


def test_the_bench_runs_end_to_end_on_a_tiny_record(capsys):
    assert versus.main(["--records", "24", "--repeats", "1", "--steps", "1", "--filters", "1", "--timeout", "300"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| 24 (24 events)")]
    assert [row.split(" | ")[1] for row in rows] == list(versus.MEASURES)
    for row in rows:
        cells = row.strip("|").split(" | ")
        assert re.match(r"[\d.]+ m?s \(", cells[2]) and re.match(r"[\d.]+ m?s \(", cells[3])  # both drew
        assert re.match(r"[\d.]+×$", cells[4])
