"""The dashboard side by side with vis-timeline (issue 12 item 9): `python bench/versus.py [--records real 1000 5000]`.

The same events drawn by this dashboard (`app.py`, labels on: assets/labels.js) and by vis-timeline
(npm `vis-timeline` + `vis-data`, the dev dependencies in package.json, installed by `npm ci`) on a
static page, in the same headless Chromium (one browser, one tab, 1440×900), on the same window of
years. Runs are interleaved (dashboard, vis-timeline, vis-timeline, dashboard, …), each run a fresh
page load, and the medians, the spread (p10–p90 of all timed samples, and the range of the runs'
own medians) and the ratios (dashboard ÷ vis-timeline) are printed as a Markdown table.

The vis-timeline page holds the same rows the dashboard draws: one item per (event, issue area), in
one group per issue area (the dashboard's lanes, in the same order), a box item at the marker's date
or a range item for a span, its content the dashboard's label (`alliance.labels.short_label`, as the
dashboard receives it). Stacking on (vis-timeline's default), a fixed 700 px height with vertical
scrolling (the dashboard's chart also fits the screen).

Measures, each from the action to the first paint after the last redraw it caused:

  first paint   navigation start to the frame after the timeline is drawn: for the dashboard, the
                labels overlay written (labels.js runs after plotly's draw); for vis-timeline, its
                `onInitialDrawComplete` (it shows the timeline only once items are laid out, stacked
                and fitted to the window).
  step          one zoom/pan step: `Plotly.relayout(xaxis.range)` on the dashboard's graph (what a
                drag or wheel zoom ends with) against `timeline.setWindow(start, end)`, the ranges
                the same for both. Every plotly call the step causes on the timeline is waited for,
                including dcc.Graph copying the new range back into its figure (its second
                `Plotly.react`): the step ends at the paint after the last one, once nothing is in
                flight and nothing new has started for `QUIET_MS`. The ranges stay inside the
                window's years, so the dashboard's window (URL, slider) need not follow and no server
                request is part of a step.
  filter        a trusted click on an issue area's checkbox (off, off, on, on over pairs of areas),
                from the click to the paint after the new timeline: on the dashboard the server
                round trip and the new figure (`Plotly.react` with new data); on vis-timeline the
                group hidden and its DataView refreshed.

`redraws` counts the plotly calls (dashboard) or `changed` events (vis-timeline) per step. The
machine is shared and noisy: compare ratios within one run of this script, not across runs.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import html
import http.server
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from browser import IDLE, INSTALL, start_app  # noqa: E402
from workload import free_port, percentile  # noqa: E402

from alliance.figures import plot_data_of  # noqa: E402
from alliance.record import load_record  # noqa: E402
from tests.conftest import chromium_options  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VIS_SCRIPTS = ("moment/min/moment.min.js", "vis-data/peer/umd/vis-data.min.js",
               "vis-timeline/peer/umd/vis-timeline-graph2d.min.js")
VIS_STYLE = "vis-timeline/styles/vis-timeline-graph2d.min.css"
QUIET_MS = 500  # a step is over when nothing has redrawn or started for this long
MEASURES = ("first paint", "step", "filter")
DASHBOARD, VIS = "dashboard", "vis-timeline"

# Before any page script runs (CDP Page.addScriptToEvaluateOnNewDocument): notes the first frame in which
# the timeline is on screen, in ms since navigation start. The dashboard: its labels overlay is written and
# the graph is not being redrawn; vis-timeline: its `onInitialDrawComplete` (it keeps the timeline hidden
# until then) has set __visDrawn.
FIRST_PAINT_PROBE = """
(function () {
  function drawn() {
    if (window.__visDrawn) { return true; }
    const layer = document.querySelector('#timeline .timeline-labels');
    return Boolean(layer && layer.childElementCount && !document.querySelector('#timeline .dash-graph--pending'));
  }
  function tick() {
    if (drawn()) { setTimeout(function () { window.__firstPaint = performance.now(); }, 0); return; }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
"""

# The dashboard's side of the harness, installed after each load: every Plotly call on the timeline's
# graph div is a redraw (wrapped outermost, so a call that assets/dashboard.js answers without drawing
# still counts); `step` is what a chart drag or zoom ends with.
DASHBOARD_TARGET = """
if (window.__versusTarget) { return; }
const graph = () => document.querySelector('#timeline .js-plotly-plot');
const P = window.Plotly;
const hooks = [];
['react', 'relayout', 'newPlot', 'redraw', 'restyle', 'update'].forEach(function (name) {
  const original = P[name];
  P[name] = function (gd) {
    if (gd !== graph()) { return original.apply(this, arguments); }
    hooks.forEach(h => h.started());
    const result = Promise.resolve(original.apply(this, arguments));
    result.then(() => hooks.forEach(h => h.finished(graph())), () => hooks.forEach(h => h.finished(graph())));
    return result;
  };
});
window.__versusTarget = {
  watch: hook => hooks.push(hook),
  step: (a, b) => P.relayout(graph(), {'xaxis.range': [a, b]}),
  data: () => graph().data,
};
"""

# Arms one measurement (arguments: 'step' or 'click', then the range for a step). Redraw events come
# from the target's `watch` hook; `fresh` is whether a redraw shows the new state (a filter: new data).
ARM = """
const kind = arguments[0], target = window.__versusTarget;
const m = window.__versusM = {t0: null, starts: 0, ends: 0, pending: 0, fresh: false, lastEvent: null,
                              painted: null, error: null};
if (!target.armed) {
  target.armed = true;
  target.watch({
    started: () => {
      const m = window.__versusM;
      if (m && m.t0 !== null) { m.starts++; m.pending++; m.lastEvent = performance.now(); }
    },
    finished: () => {
      const m = window.__versusM;
      if (!m || m.t0 === null) { return; }
      m.ends++; m.pending = Math.max(0, m.pending - 1); m.lastEvent = performance.now();
      if (!m.fresh && (m.kind === 'step' || target.data() !== m.data0)) { m.fresh = true; }
      const seen = m.ends;
      requestAnimationFrame(() => setTimeout(() => { if (m.ends === seen) { m.painted = performance.now(); } }, 0));
    },
  });
}
m.kind = kind; m.data0 = target.data();
if (kind === 'step') {
  m.t0 = performance.now();
  target.step(arguments[1], arguments[2]);
} else {
  const onClick = ev => {
    if (ev.isTrusted && m.t0 === null) { m.t0 = performance.now(); window.removeEventListener('click', onClick, true); }
  };
  window.addEventListener('click', onClick, true);
}
"""

# Waits (async) until the armed measurement has settled: a fresh redraw happened, nothing is in flight,
# nothing has happened for QUIET_MS, and the last redraw has painted. Returns its numbers.
SETTLE = """
const done = arguments[arguments.length - 1], quiet = arguments[0], timeout = arguments[1];
const m = window.__versusM, started = performance.now();
(function check() {
  const now = performance.now();
  if (m.t0 !== null && m.fresh && m.pending === 0 && m.painted !== null && m.painted >= m.lastEvent &&
      now - m.lastEvent >= quiet) {
    done({ms: m.painted - m.t0, redraws: m.ends});
  } else if (now - started > timeout) {
    done({error: `not settled after ${timeout} ms: clicked ${m.t0 !== null}, fresh ${m.fresh}, ` +
                 `${m.pending} in flight, ${m.ends} redraws`});
  } else { setTimeout(check, 20); }
})();
"""


def vis_data(record) -> dict:
    """Groups and items for vis-timeline: the dashboard's rows (one per event and issue area, see
    `figures.PlotData`), a group per lane in the dashboard's order, each item's content its label.

    Content is HTML to vis-timeline, so the text is escaped here (vis-timeline also filters it through
    its own xss sanitiser): record text never becomes markup.
    """
    data = plot_data_of(record)
    topics = record.vocab.topics
    groups = [{"id": t.id, "content": html.escape(t.label), "order": i} for i, t in enumerate(topics)]
    items = []
    for row in range(len(data.x)):
        item = {"id": row, "group": topics[int(data.lane[row])].id, "content": html.escape(str(data.label[row]))}
        if data.end_text[row] is not None:
            item.update(type="range", start=str(data.first_text[row]), end=str(data.end_text[row]))
        else:
            item.update(type="box", start=str(data.x_text[row]))
        items.append(item)
    return {"groups": groups, "items": items}


def vis_page(data: dict, window: tuple[int, int], title: str) -> str:
    """A static page drawing `data` with vis-timeline on `window` (whole years), with a checkbox per
    issue area that hides or shows its group (the dashboard's area filter). The data goes in as JSON in a
    script element of type application/json, `<` escaped so no text can close the element."""
    payload = json.dumps(data).replace("<", "\\u003c")
    boxes = "".join(f'<label><input type="checkbox" value="{html.escape(g["id"])}" checked> {g["content"]}</label>'
                    for g in data["groups"])
    scripts = "".join(f'<script src="/node_modules/{s}"></script>' for s in VIS_SCRIPTS)
    start, end = f"{window[0]}-01-01", f"{window[1]}-12-31"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<link rel="stylesheet" href="/node_modules/{VIS_STYLE}">{scripts}
<style>body {{ font: 11px Arial, sans-serif; margin: 8px; }} #areas label {{ margin-right: 12px; }}</style>
</head><body>
<div id="areas">{boxes}</div>
<div id="timeline"></div>
<script type="application/json" id="data">{payload}</script>
<script>
const data = JSON.parse(document.getElementById('data').textContent);
const shown = new Set(data.groups.map(g => g.id));
const groups = new vis.DataSet(data.groups);
const items = new vis.DataView(new vis.DataSet(data.items), {{filter: item => shown.has(item.group)}});
const timeline = new vis.Timeline(document.getElementById('timeline'), items, groups, {{
  start: '{start}', end: '{end}', stack: true, height: '700px', verticalScroll: true, groupOrder: 'order',
  onInitialDrawComplete: () => {{ window.__visDrawn = true; }}}});
const watchers = [];
timeline.on('changed', () => watchers.forEach(w => {{ w.started(); w.finished(); }}));
document.getElementById('areas').addEventListener('change', ev => {{
  const id = ev.target.value;
  if (ev.target.checked) {{ shown.add(id); }} else {{ shown.delete(id); }}
  groups.update({{id: id, visible: ev.target.checked}});
  items.refresh();
}});
window.__versusTarget = {{
  watch: w => watchers.push(w),
  step: (a, b) => timeline.setWindow(a, b, {{animation: false}}),
  data: () => shown.size,
}};
</script></body></html>
"""


def step_ranges(window: tuple[int, int], count: int) -> list[tuple[str, str]]:
    """`count` (start, end) x ranges, zooming in and out and panning, that all start in the window's first
    year and end in its last, so the dashboard's whole-year window is unchanged by every one. Each differs
    from the one before it (and the first from the whole window): every step moves the view."""
    first, last = date(window[0], 1, 1), date(window[1], 12, 31)
    trims = [(60, 0), (0, 60), (90, 90), (30, 150), (150, 30), (0, 0), (120, 120), (45, 10)]
    out = []
    for i in range(count):
        left, right = trims[i % len(trims)]
        out.append(((first + timedelta(days=left)).isoformat(), (last - timedelta(days=right)).isoformat()))
    return out


def area_toggles(areas: list[str], count: int) -> list[str]:
    """Which area checkbox each filter change clicks: a, b, a, b (off, off, on, on), then c, d, c, d…,
    so every view is a real change and the record is whole again every four clicks."""
    pairs = [areas[i:i + 2] for i in range(0, len(areas) - 1, 2)]
    return [pairs[(i // 4) % len(pairs)][i % 2] for i in range(count)]


class StaticServer:
    """A loopback HTTP server for the vis-timeline pages (in `folder`) and node_modules, in a thread."""

    def __init__(self, folder: Path):
        (folder / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()),
                                                      functools.partial(Quiet, directory=str(folder)))
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def browser() -> webdriver.Chrome:
    driver = webdriver.Chrome(options=chromium_options("1440,900"))
    driver.set_page_load_timeout(1800)  # vis-timeline lays out thousands of boxes before `load`
    driver.set_script_timeout(1800)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_PAINT_PROBE})
    return driver


def one_run(driver, target: str, url: str, steps, toggles, timeout: float) -> dict[str, list]:
    """Load `url` (a fresh page), then time every step and filter change; one warm-up of each first."""
    driver.get(url)
    WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        lambda d: d.execute_script("return window.__firstPaint !== undefined"), f"{target}: no first paint")
    first = driver.execute_script("return window.__firstPaint")
    checkbox = "#areas input[value='{}']" if target == VIS else "#topic-filter input[value='{}']"
    if target != VIS:
        driver.execute_script(INSTALL)
        driver.execute_script(DASHBOARD_TARGET)
    out = {"first paint": [first], "step": [], "filter": [], "step redraws": []}

    def settle(what):
        result = driver.execute_async_script(SETTLE, QUIET_MS, timeout * 1000)
        if "error" in result:
            raise RuntimeError(f"{target} {what}: {result['error']}")
        return result

    def idle():
        if target != VIS:
            WebDriverWait(driver, timeout, poll_frequency=0.02).until(lambda d: d.execute_script(IDLE),
                                                                      "dashboard did not settle")

    for n, (a, b) in enumerate(steps):  # the first is the warm-up
        idle()
        driver.execute_script(ARM, "step", a, b)
        result = settle(f"step {a}–{b}")
        if n:
            out["step"].append(result["ms"])
            out["step redraws"].append(result["redraws"])
    for n, area in enumerate(toggles[:1] + toggles[:1] + toggles):  # warm-up off and on again: same state
        idle()
        box = driver.find_element(By.CSS_SELECTOR, checkbox.format(area))
        driver.execute_script(ARM, "click")
        box.click()
        result = settle(f"filter {area}")
        if n >= 2:
            out["filter"].append(result["ms"])
    return out


def spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "p10": percentile(values, 0.1), "p90": percentile(values, 0.9),
            "n": len(values)}


def summarise(runs: dict[str, list[dict]]) -> dict:
    """{target: {measure: {median, p10, p90, n, runs: [each run's median]}, "step redraws": median}}."""
    out = {}
    for target, target_runs in runs.items():
        out[target] = {}
        for measure in MEASURES:
            pooled = [v for run in target_runs for v in run[measure]]
            out[target][measure] = {**spread(pooled), "runs": [statistics.median(run[measure]) for run in target_runs]}
        out[target]["step redraws"] = statistics.median(v for run in target_runs for v in run["step redraws"])
    return out


def run_order(targets: list[str], rep: int) -> list[str]:
    """Interleaving: the targets in order on even runs, reversed on odd ones, so none always goes first."""
    return list(targets) if rep % 2 == 0 else list(reversed(targets))


# Issue 12's targets: (record, measure) -> (limit in ms or None, largest ratio to vis-timeline or None).
TARGETS = {("real", "step"): (50, None), ("1000", "step"): (None, 1.0), ("5000", "step"): (None, 1.0),
           ("real", "filter"): (150, None), ("1000", "filter"): (None, 1.5)}


def verdict(name: str, measure: str, dashboard: float, ratio: float) -> str:
    limit, most = TARGETS.get((name, measure), (None, None))
    if limit is None and most is None:
        return ""
    met = (limit is None or dashboard <= limit) and (most is None or ratio <= most)
    goal = f"≤ {limit} ms" if limit is not None else f"≤ {most:g}× vis-timeline"
    return f"{goal}: {'met' if met else '**not met**'}"


def table(results: list[tuple[str, int, dict]]) -> str:
    """The Markdown table of every record and measure: medians (p10–p90; range of the runs' medians) of each
    target, each dashboard's ratio to vis-timeline, and the issue's targets for this dashboard."""
    def cell(s):
        scale, unit = (1000, " s") if s["median"] >= 1000 else (1, " ms")
        fmt = (lambda v: f"{v / scale:.2f}") if scale > 1 else (lambda v: f"{v:.0f}")
        runs = "–".join(fmt(v) for v in (min(s["runs"]), max(s["runs"])))
        return f"{fmt(s['median'])}{unit} ({fmt(s['p10'])}–{fmt(s['p90'])}; runs {runs})"

    targets = list(results[0][2])
    dashboards = [t for t in targets if t != VIS]
    lines = ["| record | measure | " + " | ".join(targets) + " | " + " | ".join(f"ratio {d}" for d in dashboards)
             + " | target |", "|---" * (3 + len(targets) + len(dashboards)) + "|"]
    for name, events, summary in results:
        for measure in MEASURES:
            vis = summary[VIS][measure]["median"]
            ratios = {d: summary[d][measure]["median"] / vis if vis else float("inf") for d in dashboards}
            label = f"{name} ({events:,} events)"
            lines.append(f"| {label} | {measure} | " + " | ".join(cell(summary[t][measure]) for t in targets) + " | "
                         + " | ".join(f"{ratios[d]:.2f}×" for d in dashboards) + " | "
                         + verdict(name, measure, summary[DASHBOARD][measure]["median"], ratios[DASHBOARD]) + " |")
    return "\n".join(lines)


def measure_record(name: str, folder: Path, pages: Path, static: StaticServer, apps: dict[str, Path], args,
                   driver) -> tuple[int, dict]:
    """Every target's runs on one record, interleaved: each dashboard in `apps` (label -> project folder whose
    app.py serves it) and vis-timeline. Returns (events in the record, `summarise` of the runs)."""
    record = load_record(folder)
    window = tuple(args.window)
    (pages / f"{name}.html").write_text(vis_page(vis_data(record), window, f"vis-timeline: {name}"), encoding="utf-8")
    steps = step_ranges(window, args.steps + 1)  # one warm-up
    toggles = area_toggles([t.id for t in record.vocab.topics], args.filters)
    urls = {VIS: f"http://127.0.0.1:{static.port}/{name}.html"}
    with contextlib.ExitStack() as stack:
        for label, root in apps.items():
            log = stack.enter_context(tempfile.NamedTemporaryFile("w+", prefix="alliance-versus-app-", suffix=".log"))
            port = free_port()
            app, events = start_app(folder.resolve(), port, log, args.timeout, root=root)
            stack.callback(lambda app=app: (app.terminate(), app.wait(10)))
            urls[label] = f"http://127.0.0.1:{port}/?from={window[0]}&to={window[1]}"
        runs = {target: [] for target in [*apps, VIS]}
        for rep in range(args.repeats):
            for target in run_order(list(runs), rep):
                run = one_run(driver, target, urls[target], steps, toggles, args.timeout)
                runs[target].append(run)
                print(f"  {name} run {rep + 1} {target:16s} first paint {run['first paint'][0]:8.0f} ms   "
                      f"step median {statistics.median(run['step']):7.1f} ms ({statistics.median(run['step redraws']):.0f} "
                      f"redraws)   filter median {statistics.median(run['filter']):7.1f} ms", flush=True)
    return events, summarise(runs)


def baseline_checkout(revision: str, folder: Path) -> Path:
    """The project as it was at `revision` (git archive), to measure side by side with the working tree."""
    folder.mkdir()
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", nargs="+", default=["real", "1000", "5000"],
                        help="'real' (events/) and synthetic record sizes (bench/generate.py)")
    parser.add_argument("--window", type=int, nargs=2, default=[2017, 2019], metavar=("FROM", "TO"))
    parser.add_argument("--repeats", type=int, default=3, help="runs of each target per record (interleaved)")
    parser.add_argument("--steps", type=int, default=12, help="timed zoom/pan steps per run")
    parser.add_argument("--filters", type=int, default=8, help="timed filter changes per run")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed for a page load or an action")
    parser.add_argument("--baseline", metavar="REV", help="also measure the dashboard as it was at this git "
                        "revision (e.g. main), interleaved with the others: before and after a change, side by side")
    parser.add_argument("--json", type=Path, help="also write the summaries here")
    args = parser.parse_args(argv)
    if not all((NODE_MODULES / s).exists() for s in VIS_SCRIPTS):
        parser.error("vis-timeline is not installed: run `npm ci` in the project folder")
    results = []
    started, load = time.monotonic(), os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="alliance-versus-") as tmp:
        tmp = Path(tmp)
        pages = tmp / "pages"
        pages.mkdir()
        static = StaticServer(pages)
        apps = {DASHBOARD: ROOT}
        if args.baseline:
            apps[f"{DASHBOARD}@{args.baseline}"] = baseline_checkout(args.baseline, tmp / "baseline")
        driver = browser()
        try:
            for name in args.records:
                folder = ROOT / "events"
                if name != "real":
                    folder = tmp / f"record-{name}"
                    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--events", name,
                                    "--out", str(folder)], check=True, stdout=subprocess.DEVNULL)
                events, summary = measure_record(name, folder, pages, static, apps, args, driver)
                results.append((name, events, summary))
        finally:
            driver.quit()
            static.close()
    redraws = "; ".join(f"{name}: " + ", ".join(f"{t} {s[t]['step redraws']:.0f}" for t in s if t != VIS)
                        for name, _, s in results)
    print(f"\nwindow {args.window[0]}–{args.window[1]}, {args.repeats} runs of each, {args.steps} steps and "
          f"{args.filters} filter changes per run, {time.monotonic() - started:.0f} s, load average "
          f"{load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; medians (p10–p90; range of the runs' "
          f"medians). Plotly calls per dashboard step (median): {redraws}\n")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps([{"record": n, "events": e, **s} for n, e, s in results], indent=1))
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped run still stops its servers and browser
    sys.exit(main())
