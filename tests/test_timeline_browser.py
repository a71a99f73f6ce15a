"""Issue 12, as a briefer meets it in headless Chromium: words on the timeline, a key, readable hover,
the chart and the window as one view, bands that open their own term, no fixed present year, an empty
view that says so, and Play that starts again."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from selenium.webdriver.common.action_chains import ActionChains

from alliance.labels import NARROW_VIEW, short_label
from alliance.query import Query
from alliance.record import load_record
from app import create_app
from components import ids

from .conftest import REAL_EVENTS, event, label_forms, make_record, unlabelled
from .test_browser import open_url, wait_until

LABEL_BOXES = """
return [...document.querySelectorAll('#timeline .timeline-label')].map(e => {
  const b = e.getBoundingClientRect(); return {text: e.textContent, box: [b.left, b.top, b.right, b.bottom]};
});"""
# Lane markers (not bands, rings or the key) as screen boxes.
MARKER_BOXES = """
const plot = document.querySelector('#timeline .js-plotly-plot');
const lanes = new Set(plot._fullData.filter(t => t.mode === 'markers' && !t.showlegend
  && !['Selected event', 'Search matches'].includes(t.name)).map(t => t.index));
return [...plot.querySelectorAll('.scatterlayer .trace')].filter(g => lanes.has(g.__data__[0].trace.index))
  .flatMap(g => [...g.querySelectorAll('.point')]).map(p => { const b = p.getBoundingClientRect();
  return [b.left, b.top, b.right, b.bottom]; }).filter(b => b[2] > b[0]);"""
X_RANGE = "return document.querySelector('#timeline .js-plotly-plot')._fullLayout.xaxis.range.map(String)"


@pytest.fixture(scope="module")
def record():
    return load_record(REAL_EVENTS)


def screen(dash_duo, width: int = 1440, height: int = 900) -> None:
    """A 1440x900 screen, as a briefer's laptop shows the page (the browser window's own bars aside)."""
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


@pytest.fixture
def app(dash_duo, record):
    screen(dash_duo)
    dash_duo.start_server(create_app(record))
    return dash_duo


def intersects(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def labels_on_screen(dash_duo, expected: int):
    wait_until(dash_duo, lambda: len(dash_duo.driver.execute_script(LABEL_BOXES)) >= expected, "labels drawn")
    return dash_duo.driver.execute_script(LABEL_BOXES)


def expected_labels(record, query: Query) -> list[str]:
    frame = query.apply(record.frame)
    return sorted(short_label(t, lab if isinstance(lab, str) else None)
                  for t, lab in zip(frame["title"], frame["label"], strict=True))


def count_is(dash_duo, record, query: Query) -> None:
    expected = len(query.apply(record.frame))
    dash_duo.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{expected} of {len(record.frame)} events", timeout=10)


PLOT_AREA = """const b = document.querySelector('#timeline .nsewdrag').getBoundingClientRect();
return [b.left, b.top, b.right, b.bottom];"""


def assert_labels_readable(dash_duo, record, query: Query, every: bool) -> None:
    """Every event in view (or, when `every` is False, every landmark) has one label on screen; no two
    label boxes intersect, none covers a marker, and all lie inside the plot area (so never on a lane name)."""
    events = label_forms(record, query)
    wanted = events if every else label_forms(record, query.with_changes(importance=(3,)))

    def texts():
        return [label["text"] for label in dash_duo.driver.execute_script(LABEL_BOXES)]
    wait_until(dash_duo, lambda: not unlabelled(wanted, texts()), f"labels for {query.to_url()}", timeout=20)
    labels = dash_duo.driver.execute_script(LABEL_BOXES)
    forms = Counter(form for full, compact in events for form in (full, compact) if form)
    assert not [label["text"] for label in labels if not forms[label["text"]]]  # only events in view
    assert len(labels) <= len(events)  # each event once, even in three lanes
    boxes = [label["box"] for label in labels]
    for i, a in enumerate(boxes):
        assert not [b for b in boxes[i + 1:] if intersects(a, b)], labels[i]["text"]
    markers = dash_duo.driver.execute_script(MARKER_BOXES)
    area = dash_duo.driver.execute_script(PLOT_AREA)
    for label in labels:
        assert not [m for m in markers if intersects(label["box"], m)], label["text"]
        box = label["box"]
        assert area[0] - 1 <= box[0] and box[2] <= area[2] + 1 and area[1] - 1 <= box[1] and box[3] <= area[3] + 1


@pytest.mark.parametrize("width, height", [(1280, 800), (1440, 900), (1920, 1080)])
def test_at_a_narrow_window_every_event_in_view_is_labelled_and_nothing_overlaps(dash_duo, record, width, height):
    """Issue 12: up to about 60 events in view, every one has its words on the timeline (a single year
    holds 27-38); at 2017-2019 (about 100) every landmark does. Read from the labels' bounding boxes."""
    screen(dash_duo, width, height)
    dash_duo.start_server(create_app(record))
    for start, end, every in (("2018", "2018", True), ("2019", "2019", True), ("2017", "2019", False)):
        query = Query(start=start, end=end)
        assert (len(query.apply(record.frame)) <= NARROW_VIEW) == every
        open_url(dash_duo, f"?from={start}&to={end}")
        assert_labels_readable(dash_duo, record, query, every)


def test_labels_follow_a_zoom_in_the_browser_without_the_server(app, record):
    open_url(app, "?from=2018&to=2018")
    app.wait_for_element("#timeline .scatterlayer .point", timeout=15)
    shown = len(labels_on_screen(app, 1))
    requests = "return performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-update-component')).length"
    before = app.driver.execute_script(requests)
    # plotly's own preview event during a drag, as a scroll or pan emits it frame by frame
    app.driver.execute_script("""
      const plot = document.querySelector('#timeline .js-plotly-plot');
      plot.emit('plotly_relayouting', {'xaxis.range[0]': '2018-05-01', 'xaxis.range[1]': '2018-07-31'});""")
    wait_until(app, lambda: {label["text"] for label in app.driver.execute_script(LABEL_BOXES)} >= {"Singapore Trump-Kim summit"}
               and len(app.driver.execute_script(LABEL_BOXES)) < shown, "labels re-placed for the new range")
    assert app.driver.execute_script(requests) == before


def test_the_key_lists_the_kinds_in_view(app, record):
    open_url(app, "?from=2017&to=2019")
    app.wait_for_element("#timeline .legendtext", timeout=15)
    legend = app.driver.execute_script("return [...document.querySelectorAll('#timeline .legendtext')].map(e => e.textContent)")
    kinds = {k.id: k.label for k in record.vocab.kinds}
    in_view = {kinds[str(k)] for k in Query(start="2017", end="2019").apply(record.frame)["kind"]}
    assert {text for text in legend if text in kinds.values()} == in_view
    assert "Treaty" not in legend  # no treaty in 2017-2019
    assert {"size: landmark", "thick bar: span", "hatched: acting president"} <= set(legend)


def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str):
    return [int(v) for v in re.findall(r"\d+", css)[:3]]


def test_hover_text_has_at_least_4_5_to_1_contrast(app, record):
    open_url(app, "?from=2017&to=2019")
    app.wait_for_element("#timeline .scatterlayer .point", timeout=15)
    point = app.driver.execute_script("""
      const area = document.querySelector('#timeline .nsewdrag').getBoundingClientRect();
      return [...document.querySelectorAll('#timeline .scatterlayer .point')].find(p => {
        const b = p.getBoundingClientRect();
        return b.width > 0 && b.left > area.left && b.right < area.right && b.top > area.top && b.bottom < area.bottom; });""")
    ActionChains(app.driver).move_to_element(point).perform()
    wait_until(app, lambda: app.driver.execute_script("return document.querySelectorAll('#timeline .hoverlayer .hovertext').length"),
               "hover box shown")
    colours = app.driver.execute_script("""
      const box = document.querySelector('#timeline .hoverlayer .hovertext');
      return [getComputedStyle(box.querySelector('path')).fill, [...box.querySelectorAll('text')].map(t => getComputedStyle(t).fill),
              box.textContent];""")
    background, texts, content = colours
    assert texts
    for text in texts:
        light, dark = sorted([_luminance(_rgb(background)), _luminance(_rgb(text))], reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (background, text)
    assert re.search(r"(19|20)\d\d", content)  # the date is in it


def test_a_chart_pan_moves_the_url_the_count_and_the_table(app, record):
    open_url(app, "?from=2017&to=2019")
    count_is(app, record, Query(start="2017", end="2019"))
    app.wait_for_element("#timeline .scatterlayer .point", timeout=15)
    drag = app.find_element("#timeline .nsewdrag")
    width = drag.size["width"]
    chain = ActionChains(app.driver).move_to_element(drag).click_and_hold()
    for _ in range(6):  # about a year to the right: the chart shows 2018 into 2020
        chain = chain.move_by_offset(-width // 18, 0).pause(0.05)
    chain.release().perform()
    wait_until(app, lambda: "from=2018" in app.driver.current_url, "the window follows the chart")
    query = Query.from_url(app.driver.current_url.split("?", 1)[1])
    assert query.start == "2018" and query.end in ("2020", "2021")  # every year partly on screen is in the window
    count_is(app, record, query)
    first = query.apply(record.frame).sort_values(["start", "id"]).iloc[0]["title"]
    wait_until(app, lambda: first in app.find_element(f"#{ids.TABLE}").text, "the table lists the new window")
    handles = app.driver.execute_script(
        f"return [...document.querySelectorAll('#{ids.WINDOW} [role=slider]')].map(h => h.getAttribute('aria-valuenow'))")
    assert handles == [query.start, query.end]


def test_an_rok_band_opens_its_own_term(app, record):
    open_url(app, "")
    wait_until(app, lambda: app.driver.execute_script(
        "return document.querySelectorAll('#timeline .barlayer .trace').length") >= 2, "bands drawn")
    index = app.driver.execute_script("""
      const plot = document.querySelector('#timeline .js-plotly-plot');
      return [...plot.querySelectorAll('.barlayer .trace')].findIndex(g => g.__data__[0].trace.name === 'ROK administrations');""")
    band = app.find_elements("#timeline .barlayer .trace")[index].find_elements("css selector", ".point")[0]
    ActionChains(app.driver).move_to_element(band).click().perform()
    rhee = next(e for e in record.vocab.eras if e.country == "ROK")
    wait_until(app, lambda: f"from={rhee.start.text}" in app.driver.current_url, "Rhee's term opens")
    assert f"to={rhee.end.text}" in app.driver.current_url


def test_a_2027_event_draws_on_its_own_year(dash_duo, tmp_path):
    future = load_record(make_record(tmp_path / "events", {
        "2020-01-01-a.yaml": event(id="a", date="2020-01-01"),
        "2027-03-01-b.yaml": event(id="b", date="2027-03-01", title="An event in 2027"),
    }))
    screen(dash_duo)
    dash_duo.start_server(create_app(future))
    open_url(dash_duo, "?from=2027&to=2027")
    dash_duo.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", "1 of 2 events", timeout=10)
    wait_until(dash_duo, lambda: dash_duo.driver.execute_script(X_RANGE)[0].startswith("2027-01-01"), "the 2027 window")
    start, end = dash_duo.driver.execute_script(X_RANGE)
    assert start < end and end.startswith("2027-12-31")
    handles = dash_duo.driver.execute_script(
        f"return [...document.querySelectorAll('#{ids.WINDOW} [role=slider]')].map(h => h.getAttribute('aria-valuenow'))")
    assert handles == ["2027", "2027"]
    assert [label["text"] for label in labels_on_screen(dash_duo, 1)] == ["An event in 2027"]


def test_an_empty_view_says_so_and_reset_brings_everything_back(app, record):
    open_url(app, "?q=zzzqqqxyz")
    count_is(app, record, Query(q="zzzqqqxyz"))
    wait_until(app, lambda: "No events match these filters" in app.find_element(f"#{ids.TIMELINE}").text, "message shown")
    assert app.driver.execute_script("return document.querySelectorAll('#timeline .scatterlayer .point').length") == 0
    app.find_element("#timeline .timeline-reset").click()
    count_is(app, record, Query())


@pytest.mark.parametrize("search", ["?to=1800", "?from=2030"])
def test_a_window_outside_the_record_falls_back_to_the_whole_span(app, record, search):
    open_url(app, search)
    count_is(app, record, Query())
    start, end = app.driver.execute_script(X_RANGE)
    assert start < end and start.startswith(str(record.span[0]))


def test_play_at_the_end_starts_again_and_ticks_replace_the_history_entry(app, record):
    open_url(app, "?from=2017")
    count_is(app, record, Query(start="2017"))
    history = app.driver.execute_script("return history.length")
    app.find_element(f"#{ids.PLAY}").click()
    wait_until(app, lambda: "from=1950" in app.driver.current_url, "play starts again from the first decade")
    # a slow server may skip a year on screen (the URL follows the latest tick): "1952 or later"
    wait_until(app, lambda: int(Query.from_url(app.driver.current_url.split("?", 1)[1]).start or 0) >= 1952,
               "and moves on", timeout=15)
    app.find_element(f"#{ids.PLAY}").click()
    assert app.driver.execute_script("return history.length") <= history + 1  # one entry for the whole run


LANES = "return document.querySelector('#timeline .js-plotly-plot')._fullLayout.yaxis.ticktext.join('|')"


def test_lanes_stay_put_while_play_runs(app, record):
    """Issue 12 §8: a ten-year window played from 1965 loses its trade events in 1967 and gains its
    first health event in 1974; while Play runs, no lane appears or collapses between ticks."""
    open_url(app, "?from=1965&to=1974")
    count_is(app, record, Query(start="1965", end="1974"))
    app.driver.execute_script("""
      window.__lanes = [];  // the lanes of every frame drawn while Play runs
      const plot = document.querySelector('#timeline .js-plotly-plot');
      plot.on('plotly_afterplot', () => { if (document.getElementById('play').textContent.includes('Pause')
                                              && !plot._fullLayout.xaxis.range[0].startsWith('1965')) {
        window.__lanes.push(plot._fullLayout.yaxis.ticktext.join('|')); } });""")
    app.find_element(f"#{ids.PLAY}").click()
    # a slow server may skip a year on screen (the URL follows the latest tick), so "1969 or later"
    wait_until(app, lambda: int(Query.from_url(app.driver.current_url.split("?", 1)[1]).start or 0) >= 1969,
               "play passes 1969 (trade drops out in 1967)", timeout=30)
    app.find_element(f"#{ids.PLAY}").click()
    wait_until(app, lambda: app.find_element(f"#{ids.PLAY}").text == "▶ Play", "paused")
    seen = app.driver.execute_script("return window.__lanes")
    assert len(seen) >= 2 and len(set(seen)) == 1, set(seen)
    names = [lane.replace("<br>", " ").replace("&amp;", "&") for lane in seen[0].split("|")]
    assert [t.label for t in record.vocab.topics] == names[:len(record.vocab.topics)]  # every lane the filters keep


def test_copy_link_without_a_clipboard_shows_a_small_field_with_the_link_selected(app, record):
    """On a plain-http office host the browser has no clipboard API: the link appears in a small field,
    selected for Ctrl+C, over the page, and the filter bar keeps its layout."""
    open_url(app, "?from=2017&to=2019&topics=trade")
    count_is(app, record, Query(start="2017", end="2019", topics=("trade",)))
    widths = """return [...document.querySelectorAll('.filter-bar .filter')].map(e => Math.round(e.getBoundingClientRect().width))
                .concat([Math.round(document.querySelector('.filter-bar').getBoundingClientRect().height)])"""
    before = app.driver.execute_script(widths)
    app.driver.execute_script("Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true})")
    app.find_element(f"#{ids.SHARE}").click()
    app.wait_for_element(".share-field", timeout=10)
    field = app.driver.execute_script("""
      const f = document.querySelector('.share-field'), b = f.getBoundingClientRect();
      return {value: f.value, start: f.selectionStart, end: f.selectionEnd, focused: document.activeElement === f,
              width: b.width, right: b.right, viewport: window.innerWidth};""")
    assert field["value"] == app.driver.current_url and "topics=trade" in field["value"]
    assert field["focused"] and (field["start"], field["end"]) == (0, len(field["value"]))
    assert 200 <= field["width"] <= 480 and field["right"] <= field["viewport"]
    assert app.driver.execute_script(widths) == before  # nothing squeezed, nothing pushed down
    assert app.find_element(f"#{ids.SHARE_STATUS}").text == "Press Ctrl+C to copy"
    assert app.driver.current_url not in app.find_element(".filter-bar").text  # never printed inline


def test_the_page_says_so_when_the_server_cannot_be_reached(app, record):
    open_url(app, "")
    count_is(app, record, Query())
    app.driver.execute_cdp_cmd("Network.enable", {})
    app.driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                               {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    try:
        app.find_element("button[id*='\"index\":1970']").click()
        banner = app.wait_for_element("#offline-banner", timeout=10)
        assert "cannot be reached" in banner.text and banner.is_displayed()
    finally:
        app.driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                                   {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    app.find_element("button[id*='\"index\":1980']").click()
    count_is(app, record, Query(start="1980", end="1989"))
    wait_until(app, lambda: not app.driver.execute_script("return document.getElementById('offline-banner')"),
               "the banner goes once the server answers")


def pick(dash_duo, selector: str, typed: str) -> None:
    """Open a dropdown, type into its search, click the one option left that holds `typed` (as a person would
    in a long list)."""
    dash_duo.find_element(selector).click()
    search = dash_duo.wait_for_element(".dash-dropdown-content .dash-dropdown-search", timeout=10)
    search.send_keys(typed)
    wait_until(dash_duo, lambda: [o for o in dash_duo.find_elements(".dash-dropdown-content .dash-options-list-option")
                                  if typed in o.text], f"the option {typed!r} listed")
    next(o for o in dash_duo.find_elements(".dash-dropdown-content .dash-options-list-option") if typed in o.text).click()


def _rect(dash_duo, selector: str) -> dict:
    return dash_duo.driver.execute_script(
        "const b = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {top: b.top, bottom: b.bottom, height: b.height, viewport: window.innerHeight};", selector)


def test_with_an_event_open_the_narrative_stepper_stays_in_view_and_close_shows(app, record):
    """At 1440x900, an event's detail (a long summary, sources) scrolls inside its card, so the
    narrative's Next step stays on screen; the close "×" is there only while an event is open."""
    open_url(app, "")
    close = f"#{ids.CLOSE_DETAIL}"
    assert not app.find_element(close).is_displayed()
    narrative = next(n for n in record.narratives if n.id == "korus-fta")
    pick(app, f"#{ids.NARRATIVE}", narrative.title[:20])
    first = record.frame.set_index("id").loc[narrative.steps[0].event, "title"]
    wait_until(app, lambda: app.driver.execute_script(
        "const h = document.getElementById('detail-title'); return h && h.textContent") == first, "first step open")
    assert app.driver.execute_script("return window.scrollY") == 0
    step = _rect(app, f"#{ids.NARRATIVE_NEXT}")
    assert 0 <= step["top"] and step["bottom"] <= step["viewport"], step
    assert app.find_element(close).is_displayed()
    app.find_element(close).click()
    wait_until(app, lambda: not app.find_element(close).is_displayed(), "× hidden once the event is closed")


def test_the_administration_menu_never_shows_a_stale_choice(app, record):
    obama = next(e for e in record.vocab.eras if e.name == "Barack Obama")
    menu = f"#{ids.ERA_PRESET}"
    open_url(app, "")
    pick(app, menu, "Obama")
    wait_until(app, lambda: f"from={obama.start.first.year}" in app.driver.current_url, "the window jumps to Obama")
    wait_until(app, lambda: "Zoom to an administration" in app.find_element(menu).text, "the menu shows its prompt again")
    assert "Obama" not in app.find_element(menu).text
    app.find_element("button[id*='\"index\":1970']").click()
    count_is(app, record, Query(start="1970", end="1979"))
    assert "Obama" not in app.find_element(menu).text
    pick(app, menu, "Obama")  # the same choice again zooms again: no stale value stands in the way
    wait_until(app, lambda: f"from={obama.start.first.year}" in app.driver.current_url, "Obama again")


@pytest.mark.parametrize("width, height", [(1280, 720), (1280, 800), (1920, 1080)])
def test_lane_names_never_run_into_each_other_or_the_administration_rows(dash_duo, record, width, height):
    """Eight lanes, most of their names on two lines, beside the two administration rows: on a short
    screen (1280×720) the timeline keeps the height they need rather than squeezing them together."""
    screen(dash_duo, width, height)
    dash_duo.start_server(create_app(record))
    open_url(dash_duo, "?from=2022&to=2022")

    def names():
        return dash_duo.driver.execute_script("""
          return [...document.querySelectorAll('#timeline .yaxislayer-above .ytick text')].map(t => {
            const b = t.getBoundingClientRect(); return {text: t.textContent, box: [b.left, b.top, b.right, b.bottom]}; });""")

    # Every lane of 2022 and the two administration rows (not the graph's placeholder axis, before the figure).
    wait_until(dash_duo, lambda: [n["text"] for n in names()][-2:] == ["ROK president", "U.S. president"],
               "the lane names", timeout=15)
    names = names()
    assert len(names) == len(record.vocab.topics) + 2
    crowded = [(a["text"], b["text"]) for i, a in enumerate(names) for b in names[i + 1:] if intersects(a["box"], b["box"])]
    assert not crowded


@pytest.mark.parametrize("width, height", [(1280, 800), (1440, 900)])
@pytest.mark.parametrize("search", ["", "?from=2018&to=2018"])
def test_the_year_axis_is_on_screen_without_scrolling(dash_duo, record, width, height, search):
    screen(dash_duo, width, height)
    dash_duo.start_server(create_app(record))
    open_url(dash_duo, search)
    dash_duo.wait_for_element("#timeline .xaxislayer-above .xtick text", timeout=15)

    def ticks():
        return dash_duo.driver.execute_script("""
          return [...document.querySelectorAll('#timeline .xaxislayer-above .xtick text')].map(t => {
            const b = t.getBoundingClientRect(); return [b.top, b.bottom, t.textContent]; }).filter(t => t[1] > t[0]);""")

    # The years themselves: until the record's figure arrives, the graph's placeholder axis shows -1, 0, 1.
    wait_until(dash_duo, lambda: ticks() and all(re.search(r"\d{4}", text) for _, _, text in ticks()),
               "the timeline's year axis", timeout=15)
    assert dash_duo.driver.execute_script("return window.scrollY") == 0
    assert max(bottom for _, bottom, _ in ticks()) <= height, ticks()
