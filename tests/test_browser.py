"""User journeys in real headless Chromium (dash_duo) against the running app and the real record."""

from __future__ import annotations

import html

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from alliance.record import load_record
from app import create_app
from components import ids

from .conftest import REAL_EVENTS

# Points plotted in the timeline, or null until plotly has drawn it.
PLOTTED = ("const plot = document.querySelector('#%s .js-plotly-plot');"
           "return plot && plot._fullData ? plot._fullData.reduce((n, t) => n + (t.x ? t.x.length : 0), 0) : null;" % ids.TIMELINE)


def plotted(dash_duo, expected: int) -> None:
    WebDriverWait(dash_duo.driver, 10).until(lambda driver: driver.execute_script(PLOTTED) == expected,
                                             f"timeline never showed {expected} points")


@pytest.fixture(scope="module")
def record():
    return load_record(REAL_EVENTS)


def lane_points(record, topic_ids) -> int:
    return sum(1 for topics in record.frame["topics"] for t in topics if t in topic_ids)


def test_filter_by_issue_area_changes_count_and_points(dash_duo, record):
    dash_duo.start_server(create_app(record))
    total = len(record.frame)
    dash_duo.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{total} of {total} events", timeout=10)
    all_topics = [t.id for t in record.vocab.topics]
    plotted(dash_duo, lane_points(record, all_topics))

    # Untick every area but the first two, as a staff member narrowing to two issue areas would.
    keep = all_topics[:2]
    for box in dash_duo.find_elements(f"#{ids.TOPIC_FILTER} input[type=checkbox]")[2:]:
        box.click()
    expected = int(record.frame["topics"].map(lambda ts: any(t in keep for t in ts)).sum())
    dash_duo.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{expected} of {total} events", timeout=10)
    assert expected < total
    plotted(dash_duo, lane_points(record, keep))
    assert dash_duo.get_logs() == []


def test_hover_labels_name_date_and_title(dash_duo, record):
    dash_duo.start_server(create_app(record))
    plotted(dash_duo, lane_points(record, [t.id for t in record.vocab.topics]))
    first = record.frame.iloc[0]
    hover = dash_duo.driver.execute_script(
        "return document.getElementById('%s').querySelector('.js-plotly-plot')._fullData"
        ".flatMap(t => t.hovertext || [])" % ids.TIMELINE)
    assert any(first["date_label"] in h and html.escape(first["title"]) in h for h in hover)
