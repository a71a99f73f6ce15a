"""Every control from the keyboard, in real headless Chromium against the running app and the real record."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from alliance.query import Query
from components import ids

from . import test_browser
from .test_browser import detail_title, wait_until

record, started = test_browser.record, test_browser.app  # the journeys' fixtures: the real record, the running app

PATIENCE = 30  # seconds: a shared 2-core machine under load answers slowly, never wrongly

DROPDOWNS = [ids.KIND_FILTER, ids.ACTOR_FILTER, ids.ERA_PRESET, ids.NARRATIVE, ids.EXPORT_VIEW, ids.EXPORT_FORMAT,
             ids.EXPORT_SIZE]  # in reading order


@pytest.fixture
def app(started, record):
    """The running app once its first answer has filled the controls (typing then is not overwritten)."""
    total = len(record.frame)
    started.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{total} of {total} events", timeout=PATIENCE)
    return started


def active_id(dash_duo) -> str:
    return dash_duo.driver.execute_script("return document.activeElement ? document.activeElement.id : ''")


def focused_class(dash_duo) -> str:
    return dash_duo.driver.execute_script("return document.activeElement ? document.activeElement.className : ''")


def press(dash_duo, *keys) -> None:
    chain = ActionChains(dash_duo.driver)
    for key in keys:
        chain = chain.send_keys(key)
    chain.perform()


def from_the_top(dash_duo) -> None:
    """Make the next Tab start at the top of the page (a click sets where sequential focus starts)."""
    dash_duo.driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    ActionChains(dash_duo.driver).move_to_element(dash_duo.find_element("h1")).click().perform()


def tab_to(dash_duo, element_id: str, limit: int = 120) -> int:
    """Press Tab from the top of the page until `element_id` has focus; the number of presses."""
    from_the_top(dash_duo)
    for count in range(1, limit + 1):
        press(dash_duo, Keys.TAB)
        if active_id(dash_duo) == element_id:
            return count
    raise AssertionError(f"Tab never reached #{element_id}")


def test_every_dropdown_is_reached_by_tab_in_reading_order(app):
    presses = [tab_to(app, dropdown) for dropdown in DROPDOWNS]
    assert presses == sorted(presses), "dropdowns are reached in the order they are read"


def test_a_dropdown_opens_with_enter_picks_with_arrows_and_space_and_closes_with_escape(app, record):
    tab_to(app, ids.KIND_FILTER)
    press(app, Keys.ENTER)
    app.wait_for_element(".dash-dropdown-content", timeout=PATIENCE)
    wait_until(app, lambda: focused_class(app) == "dash-dropdown-search", "the open dropdown takes focus", timeout=PATIENCE)
    press(app, Keys.ARROW_DOWN)
    wait_until(app, lambda: focused_class(app) == "dash-options-list-option-checkbox", "arrows move to an option", timeout=PATIENCE)
    press(app, Keys.SPACE)
    first_kind = record.vocab.kinds[0].id
    wait_until(app, lambda: f"kinds={first_kind}" in app.driver.current_url, "Space picks the focused option", timeout=PATIENCE)
    press(app, Keys.ESCAPE)
    wait_until(app, lambda: not app.driver.find_elements("css selector", ".dash-dropdown-content"), "Escape closes it", timeout=PATIENCE)
    assert active_id(app) == ids.KIND_FILTER, "focus goes back to the dropdown"
    press(app, Keys.SPACE)
    app.wait_for_element(".dash-dropdown-content", timeout=PATIENCE)  # Space opens it too
    press(app, Keys.ESCAPE)


def test_escape_in_an_open_dropdown_leaves_the_event_detail_open(app, record):
    app.driver.get(app.server_url + f"/?event={record.frame['id'].iat[0]}")
    wait_until(app, lambda: detail_title(app) == record.frame["title"].iat[0], "detail open", timeout=PATIENCE)
    tab_to(app, ids.EXPORT_FORMAT)
    press(app, Keys.ARROW_DOWN)
    app.wait_for_element(".dash-dropdown-content", timeout=PATIENCE)
    press(app, Keys.ESCAPE)
    wait_until(app, lambda: not app.driver.find_elements("css selector", ".dash-dropdown-content"), "dropdown closed", timeout=PATIENCE)
    assert detail_title(app) == record.frame["title"].iat[0]


def test_brackets_step_through_events_whatever_has_focus_except_a_text_field(app, record):
    in_view = record.frame.sort_values(["start", "id"])
    box = app.find_element(f"#{ids.IMPORTANCE_FILTER} input[type=checkbox]")
    app.driver.execute_script("arguments[0].focus()", box)
    press(app, "]")
    wait_until(app, lambda: detail_title(app) == in_view.iloc[0]["title"], "] on a checkbox opens the first event", timeout=PATIENCE)
    app.driver.execute_script(f"document.getElementById('{ids.KIND_FILTER}').focus()")
    press(app, "]")
    wait_until(app, lambda: detail_title(app) == in_view.iloc[1]["title"], "] on a dropdown moves to the next", timeout=PATIENCE)
    app.find_element(f"#{ids.SEARCH}").click()
    press(app, "[")
    assert app.find_element(f"#{ids.SEARCH}").get_attribute("value") == "["  # typed, not a shortcut
    assert detail_title(app) == in_view.iloc[1]["title"]


def test_search_says_press_enter_and_applies_on_enter(app, record):
    assert "press enter" in app.find_element(f"label[for='{ids.SEARCH}']").text.casefold()
    search = app.find_element(f"#{ids.SEARCH}")
    search.click()
    typing = ActionChains(app.driver)
    for key in "korus fta":  # at a person's pace: Dash 4's input restores its caret a tick late under load
        typing = typing.send_keys(key).pause(0.1)
    typing.send_keys(Keys.ENTER).perform()
    wait_until(app, lambda: "q=korus+fta" in app.driver.current_url, "Enter applies the search", timeout=PATIENCE)
    expected = len(Query.from_url(app.driver.current_url.split("?", 1)[1]).apply(record.frame))
    assert 0 < expected < len(record.frame)
    app.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{expected} of {len(record.frame)} events", timeout=PATIENCE)
    assert search.get_attribute("value") == "korus fta"


# Every control a keyboard user needs, in document (reading) order, up to the events table: marked with
# data-walk so the walk can say which it reached. A group of radio buttons is one stop (its checked one;
# arrows move inside it). Semantic, not from tabindex: a control that Dash takes out of the Tab order counts.
MARK_CONTROLS = """
const table = document.getElementById(arguments[0]);
const candidates = [...document.querySelectorAll("a[href], button, input, select, textarea, [role=slider]")].filter(e =>
  !e.disabled && e.type !== "hidden" && !e.closest("[aria-hidden=true]") && e.getClientRects().length &&
  getComputedStyle(e).visibility !== "hidden" &&
  (table.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING));
const groups = {};
const stops = candidates.filter(e => {
  if (e.type !== "radio") { return true; }
  const group = candidates.filter(r => r.type === "radio" && r.name === e.name);
  return e === (group.find(r => r.checked) || group[0]);
});
stops.forEach((e, i) => e.setAttribute("data-walk", String(i)));
return stops.length;
"""
FOCUSED = """
const e = document.activeElement;
if (!e || e === document.body) { return null; }
const style = getComputedStyle(e);
return {walk: e.getAttribute("data-walk"), inTable: Boolean(e.closest("#" + arguments[0])),
        outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
        name: (e.id || e.getAttribute("aria-label") || e.textContent || e.tagName).slice(0, 40)};
"""


def test_tab_walks_every_control_once_in_reading_order_with_visible_focus(app, record):
    opened = record.frame[record.frame["related"].map(len) > 0].iloc[0]  # a detail with links and related events
    app.driver.get(app.server_url + f"/?event={opened['id']}")
    wait_until(app, lambda: detail_title(app) == opened["title"], "detail open", timeout=PATIENCE)
    app.wait_for_element(f"#{ids.TIMELINE} .modebar-btn", timeout=PATIENCE)
    expected = app.driver.execute_script(MARK_CONTROLS, ids.TABLE)
    assert expected > 40  # filters, window, timeline tools, detail, narratives, matrix, exports
    from_the_top(app)
    reached, unmarked, faint = [], [], []
    for _ in range(expected + 20):
        press(app, Keys.TAB)
        focused = app.driver.execute_script(FOCUSED, ids.TABLE)
        if focused is None or focused["inTable"]:
            break
        if focused["walk"] is None:
            unmarked.append(focused["name"])
        else:
            reached.append(int(focused["walk"]))
        if focused["outline"] < 2:
            faint.append(focused["name"])
    assert unmarked == [], "Tab stopped on something that is not a control"
    assert reached == list(range(expected)), "every control once, in reading order"
    assert faint == [], "focus is visible (a 2 px outline or more) on every control"


SHOWN = """
const box = document.querySelector('.detail').getBoundingClientRect();
return box.top >= 0 && box.top < window.innerHeight && document.activeElement.id === 'detail-title';
"""


def test_an_event_opened_from_the_table_is_shown_where_the_user_is_looking(app, record):
    cell = app.wait_for_element(f"#{ids.TABLE} td[data-dash-column='title']", timeout=PATIENCE)
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    assert app.driver.execute_script("return document.querySelector('.detail').getBoundingClientRect().bottom < 0")
    cell.click()
    wait_until(app, lambda: detail_title(app) == record.frame["title"].iat[0], "the event opens", timeout=PATIENCE)
    wait_until(app, lambda: app.driver.execute_script(SHOWN), "the detail scrolls into view and takes focus",
               timeout=PATIENCE)
