"""assets/natives.js gives the page back the engine's own string and number parsers (issue #6), in
real headless Chromium: without it, Dash's @babel/polyfill leaves slower JavaScript versions."""

from __future__ import annotations

import pytest

from alliance.record import load_record
from app import create_app
from components import ids

from .conftest import event, make_record

# What the page's trim and parsers are: their source (the engine's say "[native code]") and how they treat
# U+180E, which the polyfill's own list still counts as white space and the engine (Unicode 6.3+) does not.
# The source is read with a fresh frame's Function.prototype.toString: core-js replaces the page's own so
# that its replacements claim to be native code.
PROBE = r"""
const frame = document.createElement('iframe');
document.body.appendChild(frame);
const toString = frame.contentWindow.Function.prototype.toString;
frame.remove();
const source = f => toString.call(f);
return {trim: source(String.prototype.trim), trimStart: source(String.prototype.trimStart),
        trimEnd: source(String.prototype.trimEnd), parseFloat: source(window.parseFloat),
        parseInt: source(window.parseInt), same: Number.parseFloat === window.parseFloat,
        trimmed: '\u180Ex\u180E'.trim().length, float: String(parseFloat('\u180E1.5')), int: String(parseInt('\u180E7'))};
"""


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    return load_record(make_record(tmp_path_factory.mktemp("natives") / "events", {"2000-01-02-test-event.yaml": event()}))


def page_natives(dash_duo, app) -> dict:
    dash_duo.start_server(app)
    dash_duo.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", "1 of 1 events", timeout=15)  # every asset has run
    return dash_duo.driver.execute_script(PROBE)


def test_natives_js_restores_the_engines_own_trim_and_parsers(dash_duo, record):
    found = page_natives(dash_duo, create_app(record))
    assert found["trim"] == "function trim() { [native code] }"
    assert found["trimStart"] == "function trimStart() { [native code] }"
    assert found["trimEnd"] == "function trimEnd() { [native code] }"
    assert found["parseFloat"] == "function parseFloat() { [native code] }" and found["same"]
    assert found["parseInt"] == "function parseInt() { [native code] }"
    assert (found["trimmed"], found["float"], found["int"]) == (3, "NaN", "NaN")  # U+180E is not white space


def test_without_natives_js_the_polyfill_replaces_them(dash_duo, record):
    """The reason natives.js exists: if Dash stops shipping the polyfill, this fails and natives.js can go."""
    app = create_app(record)
    app.config.assets_ignore = r"natives\.js"
    found = page_natives(dash_duo, app)
    assert "[native code]" not in found["trim"] and found["trimmed"] == 1  # the polyfill strips U+180E
    assert "[native code]" not in found["parseFloat"] and found["float"] == "1.5"
