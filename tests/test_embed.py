"""The chart on a screen: the standalone HTML export, the /embed page in partners' iframes, and the
Export menu's Embed code. Checked as a reader sees them, in Chromium: what fits, what overlaps,
what a page on another origin may frame."""

from __future__ import annotations

import html
import http.server
import itertools
import threading
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from alliance.export import build_export, source_line, title_for
from alliance.query import Query
from alliance.record import load_record
from components import ids
from components.embed import embed_code
from components.layout import count_text

from .conftest import REAL_EVENTS
from .test_accessibility import audit, describe

# The longest title the filter bar can make for the issue areas: it must wrap, never run off.
MANY_AREAS = Query(topics=("security", "north-korea", "alliance-politics", "trade", "china-region"), start="1990", end="2021")
SCREENS = [(1280, 720), (1920, 1080)]
FRAMES = [(800, 450), (1280, 720)]

# Resolves true once the chart is drawn and its layout has settled (plotly redraws while it grows its
# margins for the axes and the key; labels.js places the timeline's words after the last draw).
SETTLED = """
const done = arguments[arguments.length - 1];
const gd = document.getElementById('chart');
if (!gd || !gd._fullLayout || !gd.querySelector('.main-svg') || (document.getElementById('timeline') &&
    !gd.querySelector('.timeline-labels'))) { done(false); return; }
const size = () => JSON.stringify([gd._fullLayout._size, document.scrollingElement.scrollHeight,
                                   gd.querySelectorAll('.timeline-label, .era-label').length]);
const before = size();
requestAnimationFrame(() => requestAnimationFrame(() => done(before === size())));
"""
# Everything a reader needs to see, as boxes in the page's own coordinates.
BOXES = """
const gd = document.getElementById('chart'), box = e => { const r = e.getBoundingClientRect();
  return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, height: r.height}; };
const all = selector => [...document.querySelectorAll(selector)].map(box).filter(b => b.height > 0);
const page = document.scrollingElement, h1 = document.querySelector('h1'), source = document.querySelector('.source');
return {scroll: [page.scrollWidth, page.scrollHeight], client: [page.clientWidth, page.clientHeight],
        title: document.title, h1: h1.textContent, h1_box: box(h1), h1_clipped: h1.scrollWidth > h1.clientWidth,
        h1_font: parseFloat(getComputedStyle(h1).fontSize), source: source.textContent, source_box: box(source),
        xticks: all('.xtick text, .g-xtitle text'), yticks: all('.ytick text'),
        tick_font: Math.max(...[...gd.querySelectorAll('.xtick text, .ytick text')].map(t => parseFloat(t.style.fontSize))),
        legend: all('.legend .bg'), modebar: all('.modebar'), bands: all('.barlayer .point path'),
        plot: box(gd.querySelector('.nsewdrag')), scripts: [...document.scripts].map(s => s.src).filter(Boolean),
        links: [...document.querySelectorAll('link[href]')].map(l => l.href)};
"""


@pytest.fixture(scope="module")
def record():
    return load_record(REAL_EVENTS)


def settle(driver) -> dict:
    WebDriverWait(driver, 30, poll_frequency=0.2).until(lambda d: d.execute_async_script(SETTLED), "the chart never settled")
    return driver.execute_script(BOXES)


def viewport(driver, width: int, height: int) -> None:
    """The page's window exactly `width` × `height` CSS pixels (the browser's own frame aside)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def below(upper: list[dict], lower: dict) -> bool:
    return all(b["bottom"] <= lower["top"] + 0.5 for b in upper)


def assert_fits(boxes: dict, width: int, height: int, title: str) -> None:
    """No scrollbar, the title whole and wrapped inside, the source line inside and under the chart's words."""
    assert boxes["client"] == [width, height], "a scrollbar takes room from the chart"
    assert boxes["scroll"] == [width, height], f"the page scrolls: {boxes['scroll']} in a {width}×{height} window"
    assert boxes["title"] == title and boxes["h1"] == title
    h1, source = boxes["h1_box"], boxes["source_box"]
    assert not boxes["h1_clipped"] and h1["left"] >= 0 and h1["right"] <= width and h1["top"] >= 0
    assert boxes["source"].startswith("Source: Alliance Timeline record")
    assert source["bottom"] <= height and source["left"] >= 0 and source["right"] <= width
    assert below([h1], boxes["plot"]), "the title is on the chart"
    assert below(boxes["xticks"] + boxes["legend"], source), "the source line is on the axis labels or the key"
    for key in boxes["legend"]:
        if key["top"] >= boxes["plot"]["bottom"]:  # a key under the chart
            assert below(boxes["xticks"], key), "the key is on the axis labels"
    ticks = sorted(boxes["yticks"], key=lambda b: b["top"])
    assert all(a["bottom"] <= b["top"] + 0.5 for a, b in itertools.pairwise(ticks)), "lane or band names overlap"


@pytest.mark.parametrize("width, height", SCREENS)
@pytest.mark.parametrize("view", ["timeline", "matrix"])
def test_html_export_fits_a_screen_with_its_title_and_source_line(dash_duo, record, tmp_path, view, width, height):
    page = tmp_path / "chart.html"
    page.write_bytes(build_export(record, MANY_AREAS, view, "html").content)
    viewport(dash_duo.driver, width, height)
    dash_duo.driver.get(page.as_uri())
    boxes = settle(dash_duo.driver)
    assert_fits(boxes, width, height, title_for(record, MANY_AREAS, view))
    assert boxes["h1_box"]["height"] < 3.5 * boxes["h1_font"], "the title takes more than two lines"
    assert boxes["source"] == source_line(record, MANY_AREAS, len(MANY_AREAS.apply(record.frame)))
    assert boxes["tick_font"] <= 14 and boxes["h1_font"] <= 26, "slide type on a screen"
    assert boxes["modebar"] and not any(m["left"] < boxes["h1_box"]["right"] and m["top"] < boxes["h1_box"]["bottom"]
                                        for m in boxes["modebar"]), "the mode bar covers the title"
    assert boxes["scripts"] == [] and boxes["links"] == [], "the offline page loads something from elsewhere"


def framed(driver, url: str, width: int, height: int) -> None:
    """Open `url` in a `width` × `height` iframe of a page of the same origin, and switch into it."""
    driver.get(url.split("/embed")[0] + "/healthz")
    driver.execute_script("document.open(); document.write(arguments[0]); document.close();",
                          f'<iframe id="frame" src="{html.escape(url)}" width="{width}" height="{height}" '
                          'style="border: 0"></iframe>')
    driver.switch_to.frame(driver.find_element(By.ID, "frame"))


@pytest.mark.parametrize("width, height", FRAMES)
@pytest.mark.parametrize("view", ["timeline", "topics", "matrix"])
def test_embed_fits_its_frame_with_its_title_and_source_line(dash_duo, record, view, width, height):
    from app import create_app

    dash_duo.start_server(create_app(record))
    framed(dash_duo.driver, f"{dash_duo.server_url}/embed?view={view}&topics=security,trade,china-region", width, height)
    boxes = settle(dash_duo.driver)
    query = Query(topics=("security", "trade", "china-region"))
    assert_fits(boxes, width, height, title_for(record, query, view))
    assert boxes["modebar"] == [] and boxes["scripts"][0].endswith("/embed/plotly.min.js")


def test_embed_timeline_gives_the_bands_less_height_in_a_small_frame(dash_duo, record):
    """In an 800×450 frame the bands get less height than in a 1280×720 one and the lanes keep most of
    the plot, with every lane's and band's name apart (checked by `assert_fits`) and labels placed."""
    from app import create_app

    dash_duo.start_server(create_app(record))
    heights, shares, plots = [], [], []
    for width, height in FRAMES:
        framed(dash_duo.driver, f"{dash_duo.server_url}/embed?view=timeline", width, height)
        boxes = settle(dash_duo.driver)
        assert_fits(boxes, width, height, title_for(record, Query(), "timeline"))
        bands = boxes["bands"]
        assert bands and dash_duo.driver.find_elements(By.CSS_SELECTOR, ".era-label")
        heights.append(max(b["height"] for b in bands))
        top = min(b["top"] for b in bands)
        lanes = boxes["plot"]["bottom"] - max(b["bottom"] for b in bands)
        shares.append(lanes / (boxes["plot"]["bottom"] - top))
        plots.append((boxes["plot"]["bottom"] - boxes["plot"]["top"]) / height)
        dash_duo.driver.switch_to.default_content()
    assert heights[0] < heights[1]
    assert min(shares) > 0.8, "the bands take more than a fifth of the chart"
    assert min(plots) > 0.45, "the key and the words around the chart leave it less than half the frame"


class Page(http.server.BaseHTTPRequestHandler):
    """A partner's page on another origin (another port), with an iframe of the dashboard's /embed."""

    body = b""

    def do_GET(self):  # noqa: N802 - the http.server API
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def partner():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def partner_frame(dash_duo, partner, record) -> bool:
    """Whether the partner page's iframe shows the chart (True) or a blocked frame (False)."""
    from app import create_app

    dash_duo.start_server(create_app(record))
    Page.body = (f'<!doctype html><title>Partner</title><iframe id="frame" width="800" height="450" '
                 f'onload="this.dataset.loaded = 1" src="{dash_duo.server_url}/embed?view=topics"></iframe>').encode()
    dash_duo.driver.get(f"http://127.0.0.1:{partner.server_port}/")
    frame = dash_duo.find_element("#frame")
    WebDriverWait(dash_duo.driver, 20).until(lambda _: frame.get_attribute("data-loaded"), "the frame never loaded")
    dash_duo.driver.switch_to.frame(frame)
    try:
        WebDriverWait(dash_duo.driver, 15).until(lambda d: d.execute_script(
            "return document.readyState === 'complete' && (location.protocol === 'chrome-error:' || "
            "!!document.querySelector('#chart .main-svg'))"), "the frame neither drew nor failed")
        return bool(dash_duo.driver.execute_script("return !!document.querySelector('#chart .main-svg')"))
    finally:
        dash_duo.driver.switch_to.default_content()


def test_another_origin_cannot_frame_the_embed_by_default(dash_duo, record, partner, monkeypatch):
    monkeypatch.delenv("ALLIANCE_EMBED_FRAME_ANCESTORS", raising=False)
    assert partner_frame(dash_duo, partner, record) is False
    framed(dash_duo.driver, f"{dash_duo.server_url}/embed?view=topics", 800, 450)  # its own site may
    assert settle(dash_duo.driver)["title"] == title_for(record, Query(), "topics")


def test_the_origins_in_the_variable_may_frame_the_embed(dash_duo, record, partner, monkeypatch):
    monkeypatch.setenv("ALLIANCE_EMBED_FRAME_ANCESTORS", f"'self' http://127.0.0.1:{partner.server_port}")
    assert partner_frame(dash_duo, partner, record) is True


class Iframes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parsed(code: str) -> list[tuple[str, dict]]:
    parser = Iframes()
    parser.feed(code)
    return parser.tags


HOSTILE_SEARCH = '"><script>alert(1)</script>'


def test_embed_code_is_one_iframe_of_this_exact_view(record):
    search = "?topics=trade,security&from=2000&to=2021&q=" + HOSTILE_SEARCH.replace("&", "%26")
    code = embed_code(record, "https://timeline.example.org/?topics=trade", search, "matrix")
    [(tag, attrs)] = parsed(code)  # one element: the search text stayed inside its attribute
    assert tag == "iframe" and attrs["width"] == "800" and attrs["height"] == "450"
    src = urlsplit(attrs["src"])
    assert (src.scheme, src.netloc, src.path) == ("https", "timeline.example.org", "/embed")
    params = parse_qs(src.query)
    assert params["view"] == ["matrix"] and params["topics"] == ["trade,security"] and params["q"] == [HOSTILE_SEARCH]
    query = Query(topics=("trade", "security"), start="2000", end="2021", q=HOSTILE_SEARCH)
    assert attrs["title"] == title_for(record, query, "matrix")
    assert "<script>" not in code
    assert parsed(embed_code(record, "javascript:alert(1)", "", "<b>"))[0][1]["src"] == "/embed?view=timeline"


def test_export_menu_embed_gives_the_code_selected_and_copies_it(dash_duo, record):
    from app import create_app

    dash_duo.start_server(create_app(record))
    driver = dash_duo.driver
    driver.get(dash_duo.server_url + "/?topics=trade&from=2000&to=2010")
    shown = len(Query(topics=("trade",), start="2000", end="2010").apply(record.frame))
    dash_duo.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", count_text(shown, len(record.frame)), timeout=15)
    button = dash_duo.find_element(f"#{ids.EXPORT_EMBED}")
    assert dash_duo.find_element(f"#{ids.EMBED_PANEL}").get_attribute("hidden") is not None
    driver.execute_script("arguments[0].focus()", button)
    button.send_keys(Keys.ENTER)  # from the keyboard
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "const f = document.getElementById(arguments[0]); return f.value && document.activeElement === f && "
        "f.selectionStart === 0 && f.selectionEnd === f.value.length", ids.EMBED_CODE), "the code was not selected")
    assert button.get_attribute("aria-expanded") == "true"
    code = dash_duo.find_element(f"#{ids.EMBED_CODE}").get_attribute("value")
    [(tag, attrs)] = parsed(code)
    src = urlsplit(attrs["src"])
    assert f"{src.scheme}://{src.netloc}" == dash_duo.server_url and src.path == "/embed"
    assert parse_qs(src.query) == {"view": ["timeline"], "topics": ["trade"], "from": ["2000"], "to": ["2010"]}
    assert driver.find_elements(By.CSS_SELECTOR, ".export iframe") == []  # text, not live markup
    violations = audit(dash_duo)  # the open panel: a labelled field, named buttons
    assert violations == [], describe(violations)

    dash_duo.select_dcc_dropdown(f"#{ids.EXPORT_VIEW}", value="Events per year")  # the code follows the chart chosen
    WebDriverWait(driver, 10).until(
        lambda _: "view=topics" in dash_duo.find_element(f"#{ids.EMBED_CODE}").get_attribute("value"))

    # Copy on a page without a clipboard API (plain http): the field's text selected, Ctrl+C asked for
    driver.execute_script("Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true})")
    dash_duo.find_element(f"#{ids.EMBED_COPY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.EMBED_STATUS}", "Press Ctrl+C to copy", timeout=10)
    assert driver.execute_script("const f = document.activeElement; return f.id === arguments[0] && "
                                 "f.selectionEnd - f.selectionStart === f.value.length", ids.EMBED_CODE)
    # with one: the clipboard gets the code exactly
    driver.execute_script("window.copied = null; Object.defineProperty(navigator, 'clipboard', {configurable: true, "
                          "value: {writeText: t => { window.copied = t; return Promise.resolve(); }}})")
    dash_duo.find_element(f"#{ids.EMBED_COPY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.EMBED_STATUS}", "Embed code copied", timeout=10)
    code = dash_duo.find_element(f"#{ids.EMBED_CODE}").get_attribute("value")
    assert driver.execute_script("return window.copied") == code

    # and the code shows that view: the page it names carries the title the code announces
    [(_tag, attrs)] = parsed(code)
    driver.get(attrs["src"])
    assert settle(driver)["title"] == attrs["title"]


def test_embed_code_of_a_hostile_search_stays_text(dash_duo, record):
    from app import create_app

    dash_duo.start_server(create_app(record))
    dash_duo.driver.get(dash_duo.server_url + "/?q=" + HOSTILE_SEARCH.replace("<", "%3C").replace(">", "%3E"))
    button = dash_duo.find_element(f"#{ids.EXPORT_EMBED}")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    WebDriverWait(dash_duo.driver, 10).until(lambda _: dash_duo.find_element(f"#{ids.EMBED_CODE}").get_attribute("value"))
    code = dash_duo.find_element(f"#{ids.EMBED_CODE}").get_attribute("value")
    assert [tag for tag, _ in parsed(code)] == ["iframe"]
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "#embed-panel script, #embed-panel iframe") == []
