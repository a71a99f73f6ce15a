"""Export speed: a warm PNG of the timeline at 1920x1080, and a 20-slide deck.

Run: `.venv/bin/python bench/exports.py [--reload-every N]` (prints a table, then one JSON line;
`--reload-every 1` reloads the page after every image, as kaleido does by itself). Targets (issue #5):
warm PNG under 0.5 s, 20-slide deck under 5 s. Timings live here, never in unit tests. "Warm" means the
browser is running and idle; `export_png_back_to_back_s` is the same export repeated with no pause.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from workload import print_figures  # noqa: E402  (bench/ is the script's folder)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pptx import Presentation  # noqa: E402

from alliance import renderer  # noqa: E402
from alliance.export import build_export  # noqa: E402
from alliance.query import Query  # noqa: E402
from alliance.record import load_record  # noqa: E402

IDLE_S = 0.5  # lets the browser finish reloading the previous image's tab (alliance/renderer.py)


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reload-every", type=int, default=renderer.RELOAD_EVERY,
                        help="images a browser tab draws before its page is reloaded")
    renderer.RELOAD_EVERY = parser.parse_args().reload_every
    record = load_record(ROOT / "events")
    query = Query()
    cold, _ = timed(lambda: build_export(record, query, "timeline", "png"))
    warm = []
    for _ in range(10):  # warm = browser up and idle, as when a presenter clicks Export: a pause between clicks
        time.sleep(IDLE_S)
        warm.append(timed(lambda: build_export(record, query, "timeline", "png"))[0])
    back_to_back = [timed(lambda: build_export(record, query, "timeline", "png"))[0] for _ in range(10)]
    # A window holding 17 landmarks gives title + timeline + topics + 17 = 20 slides.
    landmarks = record.frame[record.frame["importance"] == 3].sort_values("start")
    deck_query = Query(start=str(landmarks.iloc[-17]["start"].year))
    deck_times, slides = [], 0
    for _ in range(3):
        seconds, export = timed(lambda: build_export(record, deck_query, "timeline", "pptx"))
        deck_times.append(seconds)
        slides = len(Presentation(io.BytesIO(export.content)).slides)
    figures = {"events": len(record.frame), "reload_every": renderer.RELOAD_EVERY, "export_png_cold_s": round(cold, 3),
               "export_png_warm_s": round(statistics.median(warm), 3), "export_png_warm_max_s": round(max(warm), 3),
               "export_png_back_to_back_s": round(statistics.median(back_to_back), 3),
               "deck_slides": slides, "deck_s": round(statistics.median(deck_times), 3)}
    print_figures(figures, name_width=24)


if __name__ == "__main__":
    main()
