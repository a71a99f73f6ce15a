"""Browser update time (issue #6 `browser_update_ms`): `python bench/browser.py [--events-dir DIR] [--updates N]`.

Headless Chromium drives the real app, started as `app.py` in a subprocess (so HTTP, JSON and the
Dash renderer are all in the measure), through a mix of filter changes a person makes: ticking an
issue area on or off, searching a word (committed with Enter), switching hide/dim. Each update is
timed in the page, from the user's input event to the first paint after the timeline has drawn
the new figure:

  start  `performance.now()` in a capture-phase listener on `window` for the trusted click or
         Enter keydown, i.e. before the app's own handlers see the input;
  drawn  the timeline graph div's `plotly_react` event. Every figure change reaches plotly as
         `Plotly.react` (dcc.Graph), and plotly emits `plotly_react` once that call's whole
         promise chain has finished: data drawn, auto-margin redraws done, hover/drag rebound.
         `plotly_afterplot` is not used: it also fires on resizes and relayouts, fires before the
         auto-margin redraws on a full replot, and is a step inside `react` rather than its end;
  end    the next `requestAnimationFrame` plus a zero timeout: the task right after that frame
         was painted, so what the user sees includes the new timeline.

Only a `plotly_react` whose graph div holds a new data array ends the measure: Dash 4's dcc.Graph
also re-reacts the OLD data with a new layout when the time window moves (a search jumps it to
its matches: the scrubber's clientside `previewWindow` relayouts the timeline and dcc.Graph copies
that relayout back into its figure prop); those are counted as `old_redraws` and waited past. The URL must have changed (the
app's source of truth: no new URL, no new figure); an update that does not change it, or never
brings a new figure, fails loudly instead of timing a redraw that was not ours. Callback requests
(`_dash-update-component`) are counted by wrapping `window.fetch`; `server_ms` is when the last
of them had been fully received.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from workload import free_port, percentile  # noqa: E402

from tests.conftest import chromium_options  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEARCH_WORDS = ("alliance", "nuclear", "trade", "summit")  # found in the real and the synthetic records

# Installed once after the first render: counts Dash callback requests and those still in flight.
INSTALL = """
if (window.__bench) { return; }
const bench = window.__bench = {requests: 0, pending: 0, lastResponse: 0, m: null};
const fetch = window.fetch;
window.fetch = function (input, init) {
  const url = typeof input === 'string' ? input : (input && input.url) || '';
  if (!url.includes('_dash-update-component')) { return fetch.apply(this, arguments); }
  bench.requests++; bench.pending++;
  return fetch.apply(this, arguments).then(
    r => r.clone().text().then(() => { bench.lastResponse = performance.now(); bench.pending--; return r; },
                               () => { bench.pending--; return r; }),
    e => { bench.pending--; throw e; });
};
"""

# The timeline is #timeline (components.ids.TIMELINE); .js-plotly-plot is plotly's graph div inside dcc.Graph.
# Arms one measurement: arguments[0] is the input event that starts it ('click' or 'keydown').
ARM = """
const trigger = arguments[0], bench = window.__bench, gd = document.querySelector('#timeline .js-plotly-plot');
const m = bench.m = {t0: null, drawn: null, end: null, error: null, search0: location.search, search1: null,
                     requests0: bench.requests, requests: null, server: null, oldRedraws: 0};
const oldData = gd.data;
const onInput = ev => {
  if (ev.isTrusted && m.t0 === null && (trigger !== 'keydown' || ev.key === 'Enter')) { m.t0 = performance.now(); }
};
window.addEventListener(trigger, onInput, {capture: true});
const onReact = () => {
  if (gd.data === oldData && m.t0 !== null) { m.oldRedraws++; return; }  // old figure, new layout: keep waiting
  gd.removeListener('plotly_react', onReact);
  window.removeEventListener(trigger, onInput, {capture: true});
  m.drawn = performance.now();
  m.search1 = location.search;
  if (m.t0 === null) { m.error = 'the timeline redrew before the input event'; }
  else if (m.search1 === m.search0) { m.error = 'the timeline redrew but the URL did not change'; }
  requestAnimationFrame(() => setTimeout(() => {
    m.end = performance.now();
    m.requests = bench.requests - m.requests0;
    m.server = bench.lastResponse - m.t0;
  }, 0));
};
gd.on('plotly_react', onReact);
"""

# True when nothing is in flight or being drawn: the page is ready for the next action.
IDLE = """
const gd = document.querySelector('#timeline .js-plotly-plot');
return Boolean(window.__bench && window.__bench.pending === 0 && gd && gd._fullData &&
               !document.querySelector('.dash-graph--pending') &&
               document.getElementById('event-count').textContent.includes(' of '));
"""


def start_app(events_dir: Path, port: int, log, timeout: float, root: Path = ROOT) -> tuple[subprocess.Popen, int]:
    """`app.py` (of the project at `root`: bench/versus.py also runs an older checkout) on 127.0.0.1:port,
    returned once /healthz answers 200 (the record is loaded).

    Its output goes to a file, not a pipe: the dev server logs every request and would block on a
    full pipe nobody reads.
    """
    proc = subprocess.Popen([sys.executable, str(root / "app.py"), "--port", str(port), "--events", str(events_dir)],
                            cwd=root, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited with {proc.returncode} before answering /healthz")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return proc, json.load(response)["events"]
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"app.py did not answer /healthz within {timeout:.0f} s")


def chromium() -> webdriver.Chrome:
    """Debian's chromium and chromedriver with the test suite's flags, at 1440×960."""
    return webdriver.Chrome(options=chromium_options("1440,960"),
                            service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))


def actions(areas: list[str], count: int) -> list[tuple[str, str]]:
    """`count` (kind, value) steps in turn: toggle an area, search, switch mode. Each changes the URL:
    areas are clicked a, b, a, b, c, d, c, d… (off, off, on, on), searches alternate a word and
    clearing it, the mode alternates dim and hide."""
    steps = []
    for i in range(count):
        k = i // 3
        if i % 3 == 0:
            steps.append(("area", areas[(2 * (k // 4) + k % 2) % len(areas)]))
        elif i % 3 == 1:
            steps.append(("search", "" if k % 2 else SEARCH_WORDS[(k // 2) % len(SEARCH_WORDS)]))
        else:
            steps.append(("mode", "hide" if k % 2 else "dim"))
    return steps


def perform(driver: webdriver.Chrome, kind: str, value: str, timeout: float) -> dict:
    """Do one user action and return its measure (ms from input to painted timeline, requests, server ms)."""
    wait = WebDriverWait(driver, timeout, poll_frequency=0.02)
    wait.until(lambda d: d.execute_script(IDLE), f"the page did not settle before {kind} {value!r}")
    if kind == "search":  # type first (nothing is sent until Enter: debounce=True), then time the Enter
        box = driver.find_element(By.ID, "search")
        box.click()
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.BACKSPACE, *value)
        driver.execute_script(ARM, "keydown")
        box.send_keys(Keys.ENTER)
    else:
        selector = f"#topic-filter input[value='{value}']" if kind == "area" else f"#mode input[value='{value}']"
        target = driver.find_element(By.CSS_SELECTOR, selector)
        driver.execute_script(ARM, "click")
        target.click()
    try:
        wait.until(lambda d: d.execute_script("const m = window.__bench.m; return m.end !== null || m.error !== null"))
    except Exception:
        m = driver.execute_script("return window.__bench.m")
        changed = driver.execute_script("return location.search") != m["search0"]
        requests = driver.execute_script("return window.__bench.requests") - m["requests0"]
        hint = "; a layout-only Patch of the timeline would look like this" if changed else ""
        raise RuntimeError(f"{kind} {value!r}: no new timeline figure within {timeout:.0f} s (URL changed: {changed}, "
                           f"callback requests: {requests}, redraws of the old data: {m['oldRedraws']}{hint})") from None
    m = driver.execute_script("return window.__bench.m")
    if m["error"]:
        raise RuntimeError(f"{kind} {value!r}: {m['error']} ({m['search0']!r} → {m['search1']!r})")
    return {"action": f"{kind} {value or '(clear)'}", "ms": round(m["end"] - m["t0"], 1),
            "drawn_ms": round(m["drawn"] - m["t0"], 1), "server_ms": round(m["server"], 1),
            "requests": m["requests"], "old_redraws": m["oldRedraws"], "url": m["search1"]}


def measure_browser_update(events_dir: Path, updates: int = 12, warmup: int = 1, timeout: float = 30,
                           start_timeout: float = 300, echo=None) -> dict:
    """Median and p95 of `updates` timed filter changes in headless Chromium against `app.py --events events_dir`.

    `warmup` untimed changes go first (lazy-loaded plotly code, JIT). `echo`, if given, is called
    with each update's measure as it is taken.
    """
    proc = driver = None
    with tempfile.NamedTemporaryFile("w+", prefix="alliance-bench-app-", suffix=".log") as log:
        try:
            port = free_port()
            proc, events = start_app(Path(events_dir).resolve(), port, log, start_timeout)
            driver = chromium()
            started = time.perf_counter()
            driver.get(f"http://127.0.0.1:{port}/")
            driver.execute_script(INSTALL)
            WebDriverWait(driver, start_timeout, poll_frequency=0.1).until(
                lambda d: d.execute_script(IDLE), "the first timeline was not drawn")
            first_render_s = time.perf_counter() - started
            areas = driver.execute_script("return [...document.querySelectorAll('#topic-filter input')].map(i => i.value)")
            steps = actions(areas, warmup + updates)
            measures = []
            for n, (kind, value) in enumerate(steps):
                measure = perform(driver, kind, value, timeout)
                if n >= warmup:
                    measures.append(measure)
                    if echo:
                        echo(measure)
        except Exception:
            log.seek(0)
            tail = log.read()[-3000:]
            if tail:
                print(f"--- app.py output (last 3000 characters) ---\n{tail}", file=sys.stderr)
            raise
        finally:
            if driver is not None:
                driver.quit()  # also stops chromedriver
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    timings = [m["ms"] for m in measures]
    return {"events": events, "first_render_s": round(first_render_s, 2),
            "browser_update_ms": round(statistics.median(timings), 1),
            "browser_update_p95_ms": round(percentile(timings, 0.95), 1),
            "browser_updates": len(timings), "browser_update_raw_ms": timings,
            "browser_update_details": measures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events-dir", type=Path, default=ROOT / "events", help="record folder (default: events/)")
    parser.add_argument("--updates", type=int, default=12, help="timed filter changes (default 12)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds allowed per update (default 30)")
    args = parser.parse_args()

    def echo(m: dict) -> None:
        print(f"{m['action']:<28}{m['ms']:>9.1f} ms   drawn {m['drawn_ms']:>8.1f}   responses in {m['server_ms']:>8.1f}"
              f"   {m['requests']} requests   {m['old_redraws']} old redraws   {m['url'] or '(no query)'}", flush=True)

    result = measure_browser_update(args.events_dir, args.updates, timeout=args.timeout, echo=echo)
    print(f"{result['events']} events; first render {result['first_render_s']} s; update median "
          f"{result['browser_update_ms']} ms, p95 {result['browser_update_p95_ms']} ms over {result['browser_updates']}")
    print(json.dumps({k: v for k, v in result.items() if k != "browser_update_details"}))


if __name__ == "__main__":
    main()
