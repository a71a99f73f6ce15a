"""User journeys in real headless Chromium (dash_duo) against the running app and the real record."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from alliance.query import Query
from alliance.record import load_record
from app import create_app
from components import ids

from .conftest import REAL_EVENTS

# Event markers plotted in the timeline's lanes (not bands or rings), or null until plotly has drawn.
LANE_POINTS = """
const plot = document.querySelector('#timeline .js-plotly-plot');
if (!plot || !plot._fullData) { return null; }
return plot._fullData.filter(t => t.mode === 'markers' && !t.showlegend && !['Selected event', 'Search matches'].includes(t.name))
                     .reduce((n, t) => n + t.x.length, 0);
"""


@pytest.fixture(scope="module")
def record():
    return load_record(REAL_EVENTS)


@pytest.fixture
def app(dash_duo, record):
    """The dashboard, once its layout is on the page (start_server waits only for the server; a test
    that looks for a control at once would fail on a busy machine)."""
    dash_duo.start_server(create_app(record))
    dash_duo.wait_for_element(f"#{ids.NARRATIVE}", timeout=30)
    return dash_duo


def wait_until(dash_duo, condition, message, timeout=10):
    WebDriverWait(dash_duo.driver, timeout).until(lambda driver: condition(), message)


def lane_points(record, query: Query) -> int:
    kept = query.apply(record.frame)
    lanes = set(query.topics) or {t.id for t in record.vocab.topics}
    return sum(len(lanes & set(topics)) for topics in kept["topics"])


def open_url(dash_duo, search: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + "/" + search)
    dash_duo.wait_for_element(f"#{ids.TIMELINE} .js-plotly-plot", timeout=10)


def detail_title(dash_duo) -> str:
    return dash_duo.driver.execute_script("const h = document.querySelector('#event-detail h2'); return h ? h.textContent : '';")


def test_filter_by_two_issue_areas_changes_count_and_points(app, record):
    total = len(record.frame)
    app.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{total} of {total} events", timeout=10)
    wait_until(app, lambda: app.driver.execute_script(LANE_POINTS) == lane_points(record, Query()), "all points drawn")

    keep = ("security", "trade")
    for box in app.find_elements(f"#{ids.TOPIC_FILTER} input[type=checkbox]"):
        if box.get_attribute("value") not in keep:
            box.click()
    query = Query(topics=keep)
    expected = len(query.apply(record.frame))
    app.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{expected} of {total} events", timeout=10)
    assert expected < total
    wait_until(app, lambda: app.driver.execute_script(LANE_POINTS) == lane_points(record, query), "filtered points drawn")
    assert "topics=security,trade" in app.driver.current_url
    assert app.get_logs() == []


def test_open_an_event_from_the_table_and_see_its_sources(app, record):
    app.wait_for_element(f"#{ids.TABLE} .ag-cell[col-id='title']", timeout=10).click()
    first = record.frame.iloc[0]
    wait_until(app, lambda: detail_title(app) == first["title"], "detail panel opens")
    links = app.find_elements("#event-detail .sources a")
    expected = [s["url"] for s in first["sources"] if s["url"]]
    assert [link.get_attribute("href") for link in links] == expected
    assert all(link.get_attribute("rel") == "noopener noreferrer" for link in links)
    assert f"event={first['id']}" in app.driver.current_url


def test_a_shared_link_restores_the_view(app, record):
    search = "?topics=north-korea,trade&q=korus&from=2000&to=2015&importance=2,3&event=korus-fta-signed"
    open_url(app, search)
    query = Query.from_url(search)
    expected = len(query.apply(record.frame))
    app.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{expected} of {len(record.frame)} events", timeout=10)
    ticked = app.driver.execute_script(f"return [...document.querySelectorAll('#{ids.TOPIC_FILTER} input')]"
                                       ".filter(i => i.checked).map(i => i.value)")
    assert ticked == ["north-korea", "trade"]
    assert app.find_element(f"#{ids.SEARCH}").get_attribute("value") == "korus"
    wait_until(app, lambda: detail_title(app) == "KORUS Free Trade Agreement signed on Capitol Hill", "event restored")
    handles = app.driver.execute_script(
        f"return [...document.querySelectorAll('#{ids.WINDOW} [role=slider]')].map(h => h.getAttribute('aria-valuenow'))")
    assert handles == ["2000", "2015"]


def test_step_through_a_narrative(app, record):
    narrative = next(n for n in record.narratives if n.id == "korus-fta")
    titles = dict(zip(record.frame["id"], record.frame["title"], strict=True))
    app.select_dcc_dropdown(f"#{ids.NARRATIVE}", value=narrative.title)
    wait_until(app, lambda: detail_title(app) == titles[narrative.steps[0].event], "first step opens")
    app.find_element(f"#{ids.NARRATIVE_NEXT}").click()
    wait_until(app, lambda: detail_title(app) == titles[narrative.steps[1].event], "second step opens")
    assert f"Step 2 of {len(narrative.steps)}" in app.find_element(f"#{ids.NARRATIVE_PANEL}").text
    app.find_element(f"#{ids.NARRATIVE_PREV}").click()
    wait_until(app, lambda: detail_title(app) == titles[narrative.steps[0].event], "back to the first step")


def test_keyboard_moves_the_selection_along_the_timeline(app, record):
    open_url(app, "?topics=trade")
    in_view = Query(topics=("trade",)).apply(record.frame).sort_values(["start", "id"])
    body = app.find_element("body")
    body.send_keys("]")
    wait_until(app, lambda: detail_title(app) == in_view.iloc[0]["title"], "] opens the first event")
    body.send_keys("]")
    wait_until(app, lambda: detail_title(app) == in_view.iloc[1]["title"], "] moves to the next")
    body.send_keys("[")
    wait_until(app, lambda: detail_title(app) == in_view.iloc[0]["title"], "[ moves back")
    body.send_keys(Keys.ESCAPE)
    wait_until(app, lambda: detail_title(app) == "", "Escape closes the detail")
    body.send_keys("/")
    assert app.driver.switch_to.active_element.get_attribute("id") == ids.SEARCH


def test_a_bad_url_falls_back_cleanly(app, record):
    open_url(app, "?topics=<script>alert(1)</script>,trade&from=abc&to=2021-02-30&event=nope&importance=9&mode=evil")
    expected = len(Query(topics=("trade",)).apply(record.frame))
    app.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{expected} of {len(record.frame)} events", timeout=10)
    assert detail_title(app) == ""
    assert app.get_logs() == []


def test_back_and_forward_move_between_views(app, record):
    total = len(record.frame)
    app.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{total} of {total} events", timeout=10)
    app.find_element("button[id*='\"index\":1970']").click()
    in_seventies = len(Query(start="1970", end="1979").apply(record.frame))
    app.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{in_seventies} of {total} events", timeout=10)
    app.driver.back()
    app.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{total} of {total} events", timeout=10)
    app.driver.forward()
    app.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{in_seventies} of {total} events", timeout=10)


CALLBACK_REQUESTS = ("return performance.getEntriesByType('resource')"
                     ".filter(e => e.name.includes('_dash-update-component')).length")
X_RANGE = "return document.querySelector('#timeline .js-plotly-plot')._fullLayout.xaxis.range.map(String)"


def test_dragging_the_window_moves_the_timeline_without_server_round_trips(app, record):
    from selenium.webdriver.common.action_chains import ActionChains

    app.wait_for_element(f"#{ids.TABLE} .ag-cell", timeout=10)
    wait_until(app, lambda: app.driver.execute_script(LANE_POINTS), "timeline drawn")
    before_range = app.driver.execute_script(X_RANGE)
    requests_before = app.driver.execute_script(CALLBACK_REQUESTS)
    handle = app.find_elements(f"#{ids.WINDOW} [role=slider]")[0]
    drag = ActionChains(app.driver).click_and_hold(handle)
    for _ in range(6):
        drag = drag.move_by_offset(40, 0).pause(0.1)
    drag.perform()
    wait_until(app, lambda: app.driver.execute_script(X_RANGE) != before_range, "the timeline follows the handle")
    assert app.driver.execute_script(CALLBACK_REQUESTS) == requests_before  # nothing went to the server mid-drag
    ActionChains(app.driver).release().perform()
    wait_until(app, lambda: "from=" in app.driver.current_url, "the window reaches the URL on release")
    start = int(app.driver.current_url.split("from=")[1][:4])
    expected = len(Query(start=str(start)).apply(record.frame))
    app.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{expected} of {len(record.frame)} events", timeout=10)


def test_play_moves_the_window_forward(app):
    app.wait_for_element(f"#{ids.TABLE} .ag-cell", timeout=10)
    app.find_element(f"#{ids.PLAY}").click()
    wait_until(app, lambda: "from=195" in app.driver.current_url and "from=1950" not in app.driver.current_url,
               "play advances a ten-year window year by year", timeout=15)
    app.find_element(f"#{ids.PLAY}").click()
    query = Query.from_url(app.driver.current_url.split("?", 1)[1])
    assert int(query.end) - int(query.start) == 9 and int(query.start) > 1950
    assert app.find_element(f"#{ids.PLAY}").text == "▶ Play"


def test_show_this_story_from_the_detail_panel_and_back(app, record):
    """A briefer opens the KORUS signing, asks for its story, reads it first to last, and returns."""
    event_id = "korus-fta-signed"
    story = Query(story=event_id)
    expected = len(story.apply(record.frame))
    related = record.frame.loc[record.frame["id"] == event_id, "related"].iloc[0]
    assert expected == len(related) + 1 > 2
    open_url(app, f"?event={event_id}&from=2007&to=2007")
    button = app.wait_for_element("#event-detail button.story", timeout=10)
    assert button.text == f"Show this story ({expected} events)"
    button.click()
    app.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{expected} of {len(record.frame)} events", timeout=10)
    assert f"story={event_id}" in app.driver.current_url and "from=" not in app.driver.current_url
    wait_until(app, lambda: app.driver.execute_script(LANE_POINTS) == lane_points(record, story.with_changes(event=event_id)),
               "only the story's events are drawn")
    back = app.wait_for_element("#event-detail button.story", timeout=10)
    wait_until(app, lambda: back.text == "Show all events", "the button offers the way back")
    back.click()
    app.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{len(record.frame)} of {len(record.frame)} events", timeout=10)
    assert "story=" not in app.driver.current_url
    assert app.get_logs() == []
