"""Record text reaches plotly escaped: plotly renders a subset of HTML (links too) in labels, legends and hover."""

from __future__ import annotations

import json

import pytest

from alliance.export import slide_figure
from alliance.figures import plot_data_of, timeline_figure, topic_matrix_figure, topic_year_figure
from alliance.query import Query
from alliance.record import load_record

from .conftest import event, make_record

LINK = '<a href="https://x.example">Trade</a>'


@pytest.fixture
def record(tmp_path):
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": event(topics="[security, trade]")})
    topics = folder / "vocabulary" / "topics.yaml"
    topics.write_text(topics.read_text().replace("label: Security & defense", f"label: '{LINK}'"))
    eras = folder / "vocabulary" / "eras.yaml"
    eras.write_text(eras.read_text().replace("- name: Bill Clinton\n", "- name: Bill Clinton\n  short: <b>Clinton</b>\n"))
    return load_record(folder)


def test_a_topic_label_with_a_link_is_text_in_lane_labels_and_legends(record):
    figure = timeline_figure(plot_data_of(record), record.vocab)
    lanes = [lane.replace("<br>", " ") for lane in figure["layout"]["yaxis"]["ticktext"]]  # a long name takes two lines
    assert '&lt;a href="https://x.example"&gt;Trade&lt;/a&gt;' in lanes
    assert "Security &amp; defense" not in lanes and not any("<a" in label for label in lanes)
    assert "<a" not in json.dumps([trace.get("name", "") for trace in figure["data"]])


def _without_meta(value):
    """The figure as plotly renders it: `meta` is data that assets/labels.js reads and writes with
    textContent (never as markup), so it keeps the record's own text."""
    if isinstance(value, dict):
        return {k: _without_meta(v) for k, v in value.items() if k != "meta"}
    if isinstance(value, list):
        return [_without_meta(v) for v in value]
    return value


@pytest.mark.parametrize("draw", [
    lambda record: timeline_figure(plot_data_of(record), record.vocab),
    lambda record: topic_year_figure(plot_data_of(record), record.vocab, years=(1995, 2005)),
    lambda record: topic_matrix_figure(plot_data_of(record), record.vocab),
    lambda record: slide_figure(record, Query(topics=("security",)), "timeline"),
    lambda record: slide_figure(record, Query(), "matrix"),
], ids=["timeline", "events per year", "matrix", "timeline slide", "matrix slide"])
def test_no_record_markup_reaches_any_figure(record, draw):
    text = json.dumps(_without_meta(draw(record)))
    assert "&lt;a href" in text or "&lt;b&gt;Clinton" in text
    assert "<a href" not in text and "<b>Clinton" not in text


def test_in_the_browser_the_lane_label_is_the_literal_text_and_no_link(dash_duo, record):
    from app import create_app

    dash_duo.start_server(create_app(record))
    for path in ("/", "/embed?view=timeline"):
        dash_duo.driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_element(".js-plotly-plot .ytick", timeout=20)
        ticks = dash_duo.driver.execute_script(
            "return [...document.querySelectorAll('.js-plotly-plot .ytick text')].map(t => t.querySelector('tspan.line')"
            " ? [...t.querySelectorAll('tspan.line')].map(line => line.textContent).join(' ') : t.textContent)")
        assert LINK in ticks and "Security & defense" not in ticks, (path, ticks)
        links = dash_duo.driver.execute_script("return document.querySelectorAll('.js-plotly-plot svg a').length")
        assert links == 0, path
