"""What one zoom/pan step of the dashboard's timeline costs with every event drawn, and with only those
near the window: `python bench/zoom_cost.py [--windows 2017-2019 1990-1999] [--steps 12] [--rounds 4]`.

A zoom or pan step ends in `Plotly.relayout(xaxis.range)`, and plotly then re-positions and restyles
every marker of the figure, on screen or not (issue 12's profile: `singlePointStyle` per point is
about half of a step). The dashboard asks for a new figure whenever its window moves, so it can draw
only the events within half a window's width of it (`timeline_figure(near_only=True)`); an export or
/embed page cannot ask, so it draws them all.

Both figures are built as the dashboard builds them (`components.callbacks.dashboard_timeline`, the
real record), put on one static page with plotly.js, and stepped in the same headless Chromium at
1000×500 px: `--steps` relayouts to ranges inside the window, each timed from the call to the frame
after it resolves. Rounds alternate the order (all, near, near, all, ...) so the machine's noise
falls on both; the first two steps of each round are dropped (warm-up).

`--parts` also steps the near figure with parts of it taken out, in the same interleaving, to show
what a step is spent on: the axes and the key alone (every trace drawn from data removed), without
the administration bars, without the span and date-precision lines, and with the lane markers drawn
by WebGL (`scattergl`) instead of SVG.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from selenium import webdriver

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from workload import percentile  # noqa: E402

from alliance.query import Query  # noqa: E402
from alliance.record import load_record  # noqa: E402
from components.callbacks import dashboard_timeline  # noqa: E402
from tests.conftest import chromium_options  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

STEPS = """
const done = arguments[arguments.length - 1];
const [figure, steps] = [arguments[0], arguments[1]];
const gd = document.getElementById('chart');
Plotly.newPlot(gd, figure.data, figure.layout, {responsive: false}).then(async () => {
  const [low, high] = figure.layout.xaxis.range.map(Date.parse), times = [];
  for (let i = 0; i < steps; i++) {
    const inset = (high - low) * (0.02 + 0.03 * (i % 4));  // zoom in and out a little, inside the window
    const range = [low + inset, high - inset * 0.5].map(t => new Date(t).toISOString().slice(0, 10));
    const t0 = performance.now();
    await Plotly.relayout(gd, {'xaxis.range': range});
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
    times.push(performance.now() - t0);
  }
  Plotly.purge(gd);
  done(times);
});
"""


def _drawn(trace: dict) -> bool:
    """A trace drawn from the record (the key's legend-only traces are not)."""
    return not trace.get("showlegend")


def marker_count(figure: dict) -> int:
    return sum(len(t["x"]) for t in figure["data"] if t.get("mode") == "markers" and _drawn(t))


def _without(figure: dict, drop) -> dict:
    return dict(figure, data=[t for t in figure["data"] if not (_drawn(t) and drop(t))])


def _webgl_markers(figure: dict) -> dict:
    return dict(figure, data=[dict(t, type="scattergl") if t.get("mode") == "markers" and _drawn(t) else t
                              for t in figure["data"]])


PARTS = {
    "near: axes and key only": lambda f: _without(f, lambda t: True),
    "near: no administration bars": lambda f: _without(f, lambda t: t.get("type") == "bar"),
    "near: no span or precision lines": lambda f: _without(f, lambda t: t.get("mode") == "lines"),
    "near: no density strips": lambda f: _without(f, lambda t: t.get("type") == "heatmap"),
    "near: markers by WebGL": _webgl_markers,
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", nargs="+", default=["2017-2019", "1990-1999"])
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--parts", action="store_true", help="also the near figure with parts taken out")
    parser.add_argument("--events", type=Path, default=ROOT / "events", help="the record (bench/generate.py writes large ones)")
    args = parser.parse_args(argv)
    record = load_record(args.events)
    plotly_js = next((ROOT / ".venv").glob("lib/python3*/site-packages/plotly/package_data/plotly.min.js")).read_text()
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "chart.html"
        page.write_text(f'<html><body><div id="chart" style="width:1000px;height:500px"></div>'
                        f'<script>{plotly_js}</script></body></html>')
        driver = webdriver.Chrome(options=chromium_options("1200,700"))
        driver.set_script_timeout(600)
        try:
            driver.get(page.as_uri())
            print("| window | figure | markers | step median (p10–p90) |\n|---|---|---|---|")
            for window in args.windows:
                start, end = window.split("-")
                query = Query(start=start, end=end)
                figures = {"all events": dashboard_timeline(record, query, near_only=False),
                           "near the window": dashboard_timeline(record, query)}
                if args.parts:
                    figures.update({name: part(figures["near the window"]) for name, part in PARTS.items()})
                times: dict[str, list[float]] = {name: [] for name in figures}
                for n in range(args.rounds):
                    for name in (list(figures) if n % 2 == 0 else list(figures)[::-1]):
                        times[name] += driver.execute_async_script(STEPS, figures[name], args.steps)[2:]
                for name, values in times.items():
                    print(f"| {window} | {name} | {marker_count(figures[name])} | "
                          f"{statistics.median(values):.0f} ms ({percentile(values, 0.1):.0f}–"
                          f"{percentile(values, 0.9):.0f}) |")
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
