"""Several files in one `python -m alliance export` run against one run per file (issue #16 §6).

Run: `.venv/bin/python bench/export_batch.py [--rounds 2]` (prints a table, then one JSON line).
Six images (timeline, events per year and the matrix, each as PNG and SVG, 1920x1080) are written
by one command (`--view timeline,topics,matrix --format png,svg --out-dir`) and by six commands
(`--out`, one file each), alternately, `--rounds` times; each command is timed from start to exit
(Python, the record from the load cache, the image browser's start, the images). The machine's
load average is printed alongside: on a shared 2-core machine the absolute times move with it, the
ratio far less. Timings live here, never in unit tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workload import print_figures  # noqa: E402  (bench/ is the script's folder)

ROOT = Path(__file__).resolve().parent.parent
VIEWS, FORMATS = ("timeline", "topics", "matrix"), ("png", "svg")
FILTERS = ("--topics", "security,trade", "--from", "2000", "--to", "2021")


def export(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "alliance", "export", *FILTERS, *args], cwd=ROOT, check=True,
                   capture_output=True, timeout=600)
    return time.perf_counter() - started


def one_run(folder: Path) -> float:
    return export("--view", ",".join(VIEWS), "--format", ",".join(FORMATS), "--out-dir", str(folder))


def separate_runs(folder: Path) -> float:
    return sum(export("--view", view, "--format", fmt, "--out", str(folder / f"{view}.{fmt}"))
               for view in VIEWS for fmt in FORMATS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    rounds = parser.parse_args().rounds
    batch, single = [], []
    with tempfile.TemporaryDirectory() as scratch:
        export("--format", "csv", "--out", str(Path(scratch) / "warm.csv"))  # fills the load cache, as in daily use
        for round_number in range(rounds):
            for name, action, times in (("one", one_run, batch), ("six", separate_runs, single)):
                folder = Path(scratch) / f"{name}-{round_number}"
                folder.mkdir()
                times.append(action(folder))
                assert len(list(folder.iterdir())) == len(VIEWS) * len(FORMATS)
    figures = {"files": len(VIEWS) * len(FORMATS), "rounds": rounds,
               "one_run_s": round(statistics.median(batch), 2), "six_runs_s": round(statistics.median(single), 2),
               "ratio": round(statistics.median(single) / statistics.median(batch), 2),
               "load_average_1min": round(os.getloadavg()[0], 1)}
    print_figures(figures, name_width=20)


if __name__ == "__main__":
    main()
