"""One zoom or pan step draws the timeline once (issue 12 item 9), in headless Chromium.

dcc.Graph copies every relayout back into its figure and plots that figure again; that second
`Plotly.react` used to redraw the whole chart (assets/dashboard.js explains why and answers it at
once). A briefer meets this as a chart that lags a step behind the mouse: here the draws are counted."""

from __future__ import annotations

import pytest

from alliance.record import load_record
from app import create_app
from components import ids

from .conftest import REAL_EVENTS
from .test_browser import open_url, wait_until
from .test_timeline_browser import screen

# Counts whole-chart draws (plotly_afterplot) and every Plotly.react on the timeline, wrapped outside
# whatever the page installed, until each react call's promise has settled.
WATCH = """
const gd = document.querySelector('#timeline .js-plotly-plot');
const w = window.__watch = {draws: 0, reacts: 0, settled: 0};
gd.on('plotly_afterplot', () => w.draws++);
const P = window.Plotly, react = P.react;
P.react = function (target) {
  if (target !== gd) { return react.apply(this, arguments); }
  w.reacts++;
  const result = react.apply(this, arguments);
  Promise.resolve(result).then(() => w.settled++, () => w.settled++);
  return result;
};
"""
WATCHED = "return window.__watch"
X_RANGE = "return document.querySelector('#timeline .js-plotly-plot')._fullLayout.xaxis.range.map(String)"


@pytest.fixture
def app(dash_duo):
    screen(dash_duo)
    dash_duo.start_server(create_app(load_record(REAL_EVENTS)))
    return dash_duo


def labels(dash_duo) -> list[list]:
    """(text, left edge) of each label on screen."""
    return dash_duo.driver.execute_script("return [...document.querySelectorAll('#timeline .timeline-label')]"
                                          ".map(e => [e.textContent, Math.round(e.getBoundingClientRect().left)])")


def test_a_zoom_step_draws_the_chart_once_and_a_filter_change_still_draws(app):
    open_url(app, "?from=2017&to=2019")
    wait_until(app, lambda: " of " in app.find_element(f"#{ids.EVENT_COUNT}").text and labels(app), "labels drawn",
               timeout=30)
    app.driver.execute_script(WATCH)
    before = labels(app)
    app.driver.execute_script("Plotly.relayout(document.querySelector('#timeline .js-plotly-plot'),"
                              " {'xaxis.range': ['2017-07-01', '2019-06-30']})")
    # dcc.Graph's copy of the range into its figure ends in a Plotly.react: wait until it has happened and settled.
    wait_until(app, lambda: (lambda w: w["reacts"] >= 1 and w["settled"] == w["reacts"])(app.driver.execute_script(WATCHED)),
               "dcc.Graph re-plotted its figure after the relayout", timeout=30)
    watched = app.driver.execute_script(WATCHED)
    assert watched["draws"] == 1, f"one zoom step drew the whole chart {watched['draws']} times"
    assert app.driver.execute_script(X_RANGE)[0].startswith("2017-07-01")  # the step itself stayed
    wait_until(app, lambda: labels(app) and labels(app) != before, "labels re-placed for the new range")
    assert "?from=2017&to=2019" in app.driver.current_url  # inside the window's years: the window stays

    # A real change (a new figure from the server) is drawn, not answered from the old one.
    app.driver.execute_script("document.querySelector('#timeline .js-plotly-plot').data.drawnBefore = true")
    app.find_element(f"#{ids.TOPIC_FILTER} input[value='security']").click()
    wait_until(app, lambda: "topics=" in app.driver.current_url, "the filter reached the URL")
    wait_until(app, lambda: app.driver.execute_script(WATCHED)["draws"] >= 2, "the filtered timeline drawn", timeout=30)
    assert not app.driver.execute_script("return document.querySelector('#timeline .js-plotly-plot').data.drawnBefore")
