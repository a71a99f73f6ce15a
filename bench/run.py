"""Scale benchmark: `python bench/run.py --events N [--skip-browser]` (issue #6).

Generates (or reuses) a synthetic record of N events (N=0: the real record), then measures and
prints a table and, last, one JSON line:
  parse_only_s     bare yaml.CSafeLoader parse of the same files (the physical floor)
  load_cold_s      validate + frame, as the app starts
  load_warm_s      second start; equals a cold load until a fingerprint cache exists (#6)
  filter_p50/95_ms the work one dashboard update does (components.callbacks.render) over a filter mix
  http_p95_ms      the same mix through the app's HTTP callback endpoint (Flask test client)
  figure_bytes     the timeline figure's JSON, as sent to the browser, unfiltered
browser_update_ms and export_png_warm_s are not measured by this version (see BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import yaml  # noqa: E402
from generate import generate  # noqa: E402
from workload import random_search  # noqa: E402

from alliance.record import DEFAULT_ROOT, event_files, read_record  # noqa: E402


def filter_mix(rng: random.Random, count: int) -> list[str]:
    return [random_search(rng) for _ in range(count)]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=0, help="synthetic events (0: the real record)")
    parser.add_argument("--skip-browser", action="store_true", help="accepted; this version has no browser measure")
    parser.add_argument("--updates", type=int, default=40, help="filter changes measured")
    args = parser.parse_args()
    folder = DEFAULT_ROOT
    if args.events:
        folder = Path(f"/tmp/alliance-bench-{args.events}")
        if not folder.exists():
            generate(args.events, folder)
    files = event_files(folder)
    started = time.perf_counter()
    for path in files:
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    parse_only = time.perf_counter() - started

    started = time.perf_counter()
    record, problems = read_record(folder)
    load_cold = time.perf_counter() - started
    assert not problems, problems[:3]
    started = time.perf_counter()
    read_record(folder)
    load_warm = time.perf_counter() - started

    from app import create_app
    from components.callbacks import render

    searches = filter_mix(random.Random(6), args.updates)
    render(record, searches[0])
    timings = []
    for search in searches:
        t0 = time.perf_counter()
        render(record, search)
        timings.append((time.perf_counter() - t0) * 1000)

    app = create_app(record)
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    spec = next(d for d in deps if [i["id"] for i in d["inputs"]] == ["url", "matrix-country"])
    outputs = [dict(zip(("id", "property"), p.split(".", 1), strict=True)) for p in spec["output"].strip(".").split("...")]
    http = []
    for search in searches:
        body = {"output": spec["output"], "outputs": outputs, "changedPropIds": ["url.search"], "state": [],
                "inputs": [{"id": "url", "property": "search", "value": search},
                           {"id": "matrix-country", "property": "value", "value": "US"}]}
        t0 = time.perf_counter()
        response = client.post("/_dash-update-component", json=body)
        http.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    figure_bytes = len(render(record, "")[0].to_json())

    figures = {"events": len(record.frame), "files": len(files), "parse_only_s": round(parse_only, 3),
               "load_cold_s": round(load_cold, 3), "load_warm_s": round(load_warm, 3),
               "cold_over_parse": round(load_cold / parse_only, 2),
               "filter_p50_ms": round(statistics.median(timings), 1), "filter_p95_ms": round(percentile(timings, 0.95), 1),
               "http_p95_ms": round(percentile(http, 0.95), 1), "figure_bytes": figure_bytes}
    for key, value in figures.items():
        print(f"{key:<18}{value:>14}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
