"""An axe-core audit of the dashboard in headless Chromium: no serious or critical violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from alliance.record import load_record
from app import create_app
from components import ids

from .conftest import REAL_EVENTS, ROOT

PATIENCE = 30  # seconds: a shared 2-core machine under load answers slowly, never wrongly
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def audit(dash_duo) -> list[dict]:
    dash_duo.driver.execute_script(Path(AXE).read_text(encoding="utf-8"))
    dash_duo.driver.set_script_timeout(60)
    result = dash_duo.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations)).catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['target'] if v['nodes'] else ''}"
                     for v in violations)


@pytest.mark.parametrize("search", ["", "?event=korus-fta-signed&narrative=korus-fta&topics=trade,security&mode=dim"])
def test_no_serious_or_critical_axe_violations(dash_duo, search):
    assert AXE.exists(), "axe-core is missing: scripts/test.sh installs it with npm"
    dash_duo.start_server(create_app(load_record(REAL_EVENTS)))
    dash_duo.driver.get(dash_duo.server_url + "/" + search)
    dash_duo.wait_for_element(f"#{ids.TIMELINE} .js-plotly-plot", timeout=PATIENCE)
    dash_duo.wait_for_element(f"#{ids.TABLE} .ag-cell", timeout=PATIENCE)
    violations = audit(dash_duo)
    assert violations == [], describe(violations)


def test_repairs_survive_re_rendering(dash_duo):
    record = load_record(REAL_EVENTS)
    dash_duo.start_server(create_app(record))
    dash_duo.wait_for_element(f"#{ids.TABLE} .ag-cell", timeout=PATIENCE)
    dash_duo.find_element(f"#{ids.TOPIC_FILTER} input[value='trade']").click()
    dash_duo.find_element(f"#{ids.MODE} input[value='dim']").click()
    total = len(record.frame)
    WebDriverWait(dash_duo.driver, PATIENCE).until(
        lambda d: d.find_element("id", ids.EVENT_COUNT).text != f"{total} of {total} events", "the filter never applied")
    violations = audit(dash_duo)
    assert violations == [], describe(violations)


def test_no_serious_or_critical_violations_with_a_dropdown_open_over_an_open_event(dash_duo):
    record = load_record(REAL_EVENTS)
    dash_duo.start_server(create_app(record))
    dash_duo.driver.get(dash_duo.server_url + f"/?event={record.frame['id'].iat[0]}")
    WebDriverWait(dash_duo.driver, PATIENCE).until(
        lambda d: d.execute_script("const h = document.querySelector('#event-detail h2'); return h && h.textContent")
        == record.frame["title"].iat[0], "the detail never opened")
    dash_duo.driver.execute_script(f"document.getElementById('{ids.KIND_FILTER}').focus()")
    dash_duo.find_element(f"#{ids.KIND_FILTER}").send_keys(Keys.ENTER)
    dash_duo.wait_for_element(".dash-dropdown-content .dash-options-list-option", timeout=PATIENCE)
    violations = audit(dash_duo)
    assert violations == [], describe(violations)
