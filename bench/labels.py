"""What the live labels cost per zoom/pan frame: `python bench/labels.py [--events N ...] [--frames 40]`.

Issue 12 asks that labels not make the timeline slow. This measures, in headless Chromium against
the real app (started from this folder as `app.py` in a subprocess), the two costs a pan frame
adds or has:

  labels_ms  one run of `allianceLabels.draw` (assets/labels.js): the greedy placement for the
             new x range plus writing the overlay, timed with performance.now() around the call;
  step_ms    `plotly_relayouting` emitted with a new range (the overlay is re-placed on the next
             animation frame) through `Plotly.relayout` of the same range to the first paint after
             it: what one pan/zoom step costs the page, labels included.

Each record (the real one, then synthetic ones from bench/generate.py) gets the same window walk
(a three-year window stepping through 1990-2020), and the medians and spread (p10-p90) are printed.
This is not the side-by-side with vis-timeline that issue 12 item 9 asks for (see BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from workload import free_port, percentile  # noqa: E402

from tests.conftest import chromium_options  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

STEP = """
const done = arguments[arguments.length - 1];
const [a, b] = [arguments[0], arguments[1]];
const plot = document.querySelector('#timeline .js-plotly-plot');
const t0 = performance.now();
window.allianceLabels.draw(plot, [a, b]);
const labels = performance.now() - t0;
const s0 = performance.now();
plot.emit('plotly_relayouting', {'xaxis.range[0]': a, 'xaxis.range[1]': b});
window.Plotly.relayout(plot, {'xaxis.range': [a, b]}).then(() => requestAnimationFrame(() => setTimeout(() =>
  done([labels, performance.now() - s0, document.querySelectorAll('#timeline .timeline-label').length]), 0)));
"""


def measure(events_dir: Path | None, frames: int) -> dict:
    port = free_port()
    command = [sys.executable, "app.py", "--port", str(port)] + (["--events", str(events_dir)] if events_dir else [])
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        driver = webdriver.Chrome(options=chromium_options("1440,900"))
        try:
            driver.set_script_timeout(30)
            driver.get(f"http://127.0.0.1:{port}/?from=1990&to=1992")
            WebDriverWait(driver, 120).until(lambda d: d.execute_script(
                "return !!(window.allianceLabels && document.querySelector('#timeline .js-plotly-plot')"
                " && document.querySelector('#timeline .js-plotly-plot')._fullLayout)"))
            time.sleep(1)
            labels, steps, counts = [], [], []
            for i in range(frames):
                year = 1990 + (i * 3) % 28
                label_ms, step_ms, count = driver.execute_async_script(STEP, f"{year}-01-01", f"{year + 2}-12-31")
                labels.append(label_ms)
                steps.append(step_ms)
                counts.append(count)
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.wait(10)
    return {"labels_ms": labels, "step_ms": steps, "labels_shown": counts}


def summary(values) -> str:
    return f"median {statistics.median(values):7.1f}  p10 {percentile(values, 0.1):7.1f}  p90 {percentile(values, 0.9):7.1f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="*", default=[1000, 5000], help="synthetic record sizes")
    parser.add_argument("--frames", type=int, default=40)
    args = parser.parse_args(argv)
    records: list[tuple[str, Path | None]] = [("real record", None)]
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.events:
            out = Path(tmp) / f"r{n}"
            subprocess.run([sys.executable, "bench/generate.py", "--events", str(n), "--out", str(out)], cwd=ROOT, check=True)
            records.append((f"{n} events", out))
        for name, folder in records:
            result = measure(folder, args.frames)
            print(f"{name:12s} labels_ms {summary(result['labels_ms'])}")
            print(f"{'':12s} step_ms   {summary(result['step_ms'])}   labels on screen: median "
                  f"{statistics.median(result['labels_shown']):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
