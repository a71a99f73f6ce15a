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


def shift_tab(dash_duo) -> None:
    ActionChains(dash_duo.driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()


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


# Every control a keyboard user needs, in document (reading) order, top to bottom: marked with data-walk
# so the walk can say which it reached. A group of radio buttons is one stop (its checked one; arrows move
# inside it), and so is the events table (a grid: arrows move between its cells and rows). Semantic, not
# from tabindex: a control that Dash or ag-grid takes out of the Tab order still counts.
MARK_CONTROLS = """
const grid = document.getElementById(arguments[0]);
const candidates = [...document.querySelectorAll("a[href], button, input, select, textarea, [role=slider]")].filter(e =>
  !e.disabled && e.type !== "hidden" && !e.closest("[aria-hidden=true]") && e.getClientRects().length &&
  getComputedStyle(e).visibility !== "hidden" && !grid.contains(e));
const stops = candidates.filter(e => {
  if (e.type !== "radio") { return true; }
  const group = candidates.filter(r => r.type === "radio" && r.name === e.name);
  return e === (group.find(r => r.checked) || group[0]);
}).concat([grid]).sort((a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
stops.forEach((e, i) => e.setAttribute("data-walk", String(i)));
return stops.length;
"""
# What has focus: its data-walk mark (the grid's for anything inside it), whether it is in the grid, and
# how visible its focus is (outline width, or the spread of a box-shadow ring), in CSS pixels.
FOCUSED = """
const e = document.activeElement;
if (!e || e === document.body) { return null; }
const grid = document.getElementById(arguments[0]);
const style = getComputedStyle(e);
const ring = style.boxShadow === "none" ? 0 : Math.max(0, ...[...style.boxShadow.matchAll(/(-?[\\d.]+)px\\s+(-?[\\d.]+)px\\s+(-?[\\d.]+)px\\s+(-?[\\d.]+)px/g)].map(m => parseFloat(m[4])));
return {walk: grid.contains(e) ? grid.getAttribute("data-walk") : e.getAttribute("data-walk"),
        inGrid: grid.contains(e), role: e.getAttribute("role"), row: e.closest("[row-id]") ? e.closest("[row-id]").getAttribute("row-id") : null,
        visible: Math.max(style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth), ring),
        name: (e.id || e.getAttribute("aria-label") || e.textContent || e.tagName).trim().slice(0, 40)};
"""


def focused(dash_duo) -> dict | None:
    return dash_duo.driver.execute_script(FOCUSED, ids.TABLE)


def test_tab_walks_the_whole_page_reaching_every_control_once_in_reading_order_with_visible_focus(app, record):
    opened = record.frame[record.frame["related"].map(len) > 0].iloc[0]  # a detail with links and related events
    app.driver.get(app.server_url + f"/?event={opened['id']}")
    wait_until(app, lambda: detail_title(app) == opened["title"], "detail open", timeout=PATIENCE)
    app.wait_for_element(f"#{ids.TIMELINE} .modebar-btn", timeout=PATIENCE)
    app.wait_for_element(f"#{ids.TABLE} .ag-row .ag-cell", timeout=PATIENCE)
    expected = app.driver.execute_script(MARK_CONTROLS, ids.TABLE)
    assert expected > 40  # filters, window, timeline tools, detail, narratives, matrix, exports, the table
    from_the_top(app)
    reached, unmarked, faint = [], [], []
    for _ in range(expected + 20):
        press(app, Keys.TAB)
        now = focused(app)
        if now is None:  # past the last control: focus has left the page
            break
        if now["walk"] is None:
            unmarked.append(now["name"])
        elif not reached or reached[-1] != int(now["walk"]) or not now["inGrid"]:
            reached.append(int(now["walk"]))
        else:
            raise AssertionError(f"a second Tab stop inside the table: {now}")
        if now["visible"] < 2:
            faint.append(now["name"])
    assert unmarked == [], "Tab stopped on something that is not a control"
    assert reached == list(range(expected)), "every control once, in reading order, the table last"
    assert faint == [], "focus is visible (a 2 px outline or ring or more) on every control"


def test_the_table_is_one_tab_stop_its_rows_are_reached_with_arrows_and_it_lets_focus_go(app, record):
    tab_to(app, ids.EXPORT_EMBED)  # the last control before the table
    press(app, Keys.TAB)
    wait_until(app, lambda: (focused(app) or {}).get("role") == "columnheader", "Tab enters the table at its header",
               timeout=PATIENCE)
    press(app, Keys.ARROW_DOWN)
    first = record.frame.iloc[0]
    wait_until(app, lambda: (focused(app) or {}).get("row") == first["id"], "ArrowDown reaches the first row",
               timeout=PATIENCE)
    press(app, Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_RIGHT)
    now = focused(app)
    assert now["row"] == record.frame["id"].iat[2] and now["visible"] >= 2, "arrows move between rows, focus visible"
    press(app, Keys.TAB)
    assert focused(app) is None, "Tab leaves the table (nothing after it on the page), not to its next cell"
    shift_tab(app)
    back = focused(app) or {}
    assert back.get("inGrid") and back.get("row") == record.frame["id"].iat[2], "Shift+Tab comes back to the row"
    shift_tab(app)
    assert active_id(app) == ids.EXPORT_EMBED, "and Shift+Tab leaves it again, backwards"


SHOWN = """
const box = document.querySelector('.detail').getBoundingClientRect();
return box.top >= 0 && box.top < window.innerHeight && document.activeElement.id === 'detail-title';
"""


def test_enter_on_a_row_opens_its_event_where_the_user_is_looking_and_escape_returns_to_the_row(app, record):
    tab_to(app, ids.EXPORT_EMBED)  # the last control before the table
    press(app, Keys.TAB, Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_RIGHT)
    second = record.frame.iloc[1]
    wait_until(app, lambda: (focused(app) or {}).get("row") == second["id"], "the second row has focus", timeout=PATIENCE)
    assert app.driver.execute_script("return document.querySelector('.detail').getBoundingClientRect().bottom < 0")
    press(app, Keys.ENTER)
    wait_until(app, lambda: detail_title(app) == second["title"], "Enter opens the row's event", timeout=PATIENCE)
    assert f"event={second['id']}" in app.driver.current_url
    wait_until(app, lambda: app.driver.execute_script(SHOWN), "the detail scrolls into view and takes focus",
               timeout=PATIENCE)
    press(app, Keys.ESCAPE)
    wait_until(app, lambda: "event=" not in app.driver.current_url, "Escape closes the detail", timeout=PATIENCE)
    wait_until(app, lambda: (focused(app) or {}).get("row") == second["id"], "focus is back on the row",
               timeout=PATIENCE)
    assert app.driver.execute_script("const r = document.activeElement.getBoundingClientRect();"
                                     "return r.top >= 0 && r.bottom <= window.innerHeight"), "and the row is in view"


def test_an_event_clicked_in_the_table_is_shown_where_the_user_is_looking(app, record):
    cell = app.wait_for_element(f"#{ids.TABLE} .ag-cell[col-id='title']", timeout=PATIENCE)
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    assert app.driver.execute_script("return document.querySelector('.detail').getBoundingClientRect().bottom < 0")
    cell.click()
    wait_until(app, lambda: detail_title(app) == record.frame["title"].iat[0], "the event opens", timeout=PATIENCE)
    wait_until(app, lambda: app.driver.execute_script(SHOWN), "the detail scrolls into view and takes focus",
               timeout=PATIENCE)


# Rows of the table in the order the grid shows them (its model, all rows, not only those drawn).
GRID_ORDER = """
const ids = [];
dash_ag_grid.getApi(arguments[0]).forEachNodeAfterFilterAndSort(n => ids.push(n.id));
return ids;
"""


def test_the_date_column_sorts_by_the_real_date_from_the_keyboard(app, record):
    window = Query(start="1962", end="1966")  # day, month ("May 1965") and year ("1962 – 1966") dates
    app.driver.get(app.server_url + "/?" + window.to_url())
    shown = window.apply(record.frame)
    app.wait_for_text_to_equal(f"#{ids.EVENT_COUNT}", f"{len(shown)} of {len(record.frame)} events", timeout=PATIENCE)
    start = dict(zip(record.frame["id"], record.frame["start"], strict=True))
    labels = list(shown["date_label"])
    assert sorted(labels) != [label for _, label in sorted(zip(shown["start"], labels, strict=True))], \
        "the window's dates sort differently as text than as dates"
    wait_until(app, lambda: len(app.driver.execute_script(GRID_ORDER, ids.TABLE)) == len(shown), "the table lists the window",
               timeout=PATIENCE)
    tab_to(app, ids.EXPORT_EMBED)  # the last control before the table
    press(app, Keys.TAB)  # the Date header
    for direction in ("descending", "ascending"):
        press(app, Keys.ENTER)
        expected = sorted(start[i] for i in shown["id"])[::-1 if direction == "descending" else 1]
        wait_until(app, lambda expected=expected: [start[i] for i in app.driver.execute_script(GRID_ORDER, ids.TABLE)] == expected,
                   f"Enter on Date sorts {direction} by date", timeout=PATIENCE)
        first = app.driver.execute_script(GRID_ORDER, ids.TABLE)[0]
        shown_first = app.find_element(f"#{ids.TABLE} .ag-row[row-index='0'] .ag-cell[col-id='sort_date']").text
        assert shown_first == record.frame.set_index("id").at[first, "date_label"], "dates show as written"
