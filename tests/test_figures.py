"""The timeline figure: lanes by issue area, shapes by kind, hover text safe."""

from __future__ import annotations

import pytest

from alliance.figures import timeline_figure
from alliance.record import load_record

from .conftest import event, make_record


@pytest.fixture
def record(tmp_path):
    return load_record(make_record(tmp_path / "events", {
        "1953-10-01-treaty.yaml": event(id="treaty", date="1953-10-01", importance="3"),
        "2018-11-20-group.yaml": event(id="group", date="2018-11-20", topics="[north-korea, security]", kind="institution",
                                       title="'<script>alert(1)</script> & <img src=x onerror=alert(2)>'"),
    }))


def test_one_lane_per_issue_area_in_vocabulary_order(record):
    figure = timeline_figure(record.frame, record.vocab)
    assert [trace.name for trace in figure.data] == [t.label for t in record.vocab.topics]


def test_event_in_two_areas_appears_in_both_lanes(record):
    figure = timeline_figure(record.frame, record.vocab)
    by_lane = {trace.name: list(trace.customdata) for trace in figure.data}
    assert by_lane["Security & defense"] == ["treaty", "group"]
    assert by_lane["North Korea"] == ["group"]


def test_shape_by_kind_and_size_by_importance(record):
    security = timeline_figure(record.frame, record.vocab).data[0]
    assert list(security.marker.symbol) == ["star", "pentagon"]
    assert security.marker.size[0] > security.marker.size[1]


def test_hover_shows_date_and_title_with_markup_escaped(record):
    hover = timeline_figure(record.frame, record.vocab).data[0].hovertext
    assert "1 October 1953" in hover[0] and "A test event" in hover[0]
    assert "<script>" not in hover[1] and "&lt;script&gt;" in hover[1] and "<img" not in hover[1]


def test_empty_frame_gives_empty_lanes(record):
    figure = timeline_figure(record.frame.iloc[0:0], record.vocab)
    assert all(len(trace.x) == 0 for trace in figure.data)
