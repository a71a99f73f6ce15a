"""Scale benchmark: `python bench/run.py --events N [--skip-browser]` (issue #6).

Generates (or reuses) a synthetic record of N events (N=0: the real record in events/), then
measures and prints a table and, last, one JSON line:
  parse_only_s       bare yaml.CSafeLoader parse of the same files: the physical floor
  load_cold_s        validate + frame, no cache (`read_record`)
  load_warm_s        second start: the same load through the record cache (a hit)
  filter_p50/95_ms   the work one dashboard update does (components.callbacks.render: filter, all
                     figures, table, detail) over a mix of filter changes
  http_p95_ms        the same mix through the app's HTTP callback endpoint (Flask test client), both
                     requests of an update (timeline, then the views below it): JSON encoding included
  figure_bytes       the timeline figure as sent to the browser, unfiltered
  browser_update_ms  headless Chromium against the running app: filter change to timeline
                     repainted (median; p95 too); bench/browser.py explains the end point
  export_png_warm_s  slide PNG of the timeline at 1920x1080 with the browser already running
The last two need Chromium and are left out with --skip-browser.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import yaml  # noqa: E402
from generate import generate  # noqa: E402
from workload import percentile, random_search, render_callbacks, render_requests  # noqa: E402

from alliance.cache import load as load_through_cache  # noqa: E402
from alliance.record import Loaded, event_files, read_record  # noqa: E402


def timed(action):
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def measure_load(folder: Path) -> tuple[dict, object]:
    """Parse floor, cold load, and a warm load from a cache primed by the first cached load.

    The app's modules (dash, plotly) are imported first, as in a real start, so the cold load does
    not pay for importing plotly (the kind vocabulary checks symbols against it).
    """
    import app  # noqa: F401
    files = event_files(folder)
    for path in files:  # the disk cache warm for both measures, so neither pays for first reads
        path.read_bytes()
    parse_only, _ = timed(lambda: [yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader) for path in files])
    load_cold, cold = timed(lambda: read_record(folder))
    assert isinstance(cold, Loaded), cold.problems[:3]
    record = cold.record
    with tempfile.TemporaryDirectory(prefix="alliance-bench-cache-") as cache:
        os.environ["ALLIANCE_CACHE_DIR"] = cache
        load_through_cache(folder)  # the first start writes the cache
        load_warm, warm = timed(lambda: load_through_cache(folder))
        del os.environ["ALLIANCE_CACHE_DIR"]
    assert isinstance(warm.result, Loaded) and warm.source in ("stat", "content"), warm.source
    assert warm.result.record.version == record.version
    return {"events": len(record.frame), "files": len(files), "parse_only_s": round(parse_only, 3),
            "load_cold_s": round(load_cold, 3), "cold_over_parse": round(load_cold / parse_only, 2),
            "load_warm_s": round(load_warm, 3), "warm_found_by": warm.source}, record


def measure_updates(record, count: int) -> dict:
    """`render` called directly, then the same searches as HTTP callback requests."""
    from app import create_app
    from components.callbacks import render

    rng = random.Random(6)
    searches = [random_search(rng) for _ in range(count)]
    render(record, searches[0])  # first use computes the per-record plot data
    direct = [timed(lambda s=search: render(record, s))[0] * 1000 for search in searches]
    client = create_app(record).server.test_client()
    callbacks = render_callbacks(client.get("/_dash-dependencies").get_json())
    http = []
    for search in searches:  # one update: the timeline callback, then the views callback
        started = time.perf_counter()
        for body in render_requests(callbacks, search):
            assert client.post("/_dash-update-component", json=body).status_code == 200
        http.append((time.perf_counter() - started) * 1000)
    response = client.post("/_dash-update-component", json=render_requests(callbacks, "")[0])
    figure = response.get_json()["response"]["timeline"]["figure"]
    return {"filter_p50_ms": round(statistics.median(direct), 1), "filter_p95_ms": round(percentile(direct, 0.95), 1),
            "http_p95_ms": round(percentile(http, 0.95), 1),
            "figure_bytes": len(json.dumps(figure, separators=(",", ":")))}


def measure_export(record) -> dict:
    from alliance.export import build_export
    from alliance.query import Query

    build_export(record, Query(), "timeline", "png")  # starts the browser
    warm = []
    for _ in range(5):
        time.sleep(0.5)  # an idle browser, as between a presenter's clicks (see bench/exports.py)
        warm.append(timed(lambda: build_export(record, Query(), "timeline", "png"))[0])
    return {"export_png_warm_s": round(statistics.median(warm), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=0, help="synthetic events (0: the real record)")
    parser.add_argument("--skip-browser", action="store_true", help="leave out the two Chromium measures")
    parser.add_argument("--updates", type=int, default=40, help="filter changes measured")
    args = parser.parse_args()
    folder = ROOT / "events"
    if args.events:
        folder = Path(f"/tmp/alliance-bench-{args.events}")
        if not folder.exists():
            generate(args.events, folder)
    figures, record = measure_load(folder)
    figures.update(measure_updates(record, args.updates))
    if not args.skip_browser:
        from browser import measure_browser_update

        browser = measure_browser_update(folder)
        figures.update({k: browser[k] for k in ("browser_update_ms", "browser_update_p95_ms")})
        figures.update(measure_export(record))
    for key, value in figures.items():
        print(f"{key:<24}{value:>14}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
