"""Bounded load test of the production server, on loopback only; it stops by itself.

Starts `gunicorn -w 2` on a free 127.0.0.1 port, then runs N concurrent clients for S seconds,
each looping over a mix of page loads (20%), dashboard callbacks with random filters (60%) and
embed pages (20%). With --kill-worker-at T it SIGKILLs one worker T seconds in (gunicorn starts a
new one) and reports the errors seen after that moment separately. Prints a table, then one JSON line.

  .venv/bin/python bench/load.py [--clients 50] [--seconds 30] [--kill-worker-at 10]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from workload import free_port, percentile, random_search, render_callbacks, render_requests  # noqa: E402


def run(args) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--no-control-socket",
               "--log-level", "warning", "app:server"]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        callbacks = render_callbacks(json.load(urllib.request.urlopen(base + "/_dash-dependencies", timeout=10)))
        results: list[tuple[float, float, str, bool]] = []  # (start, seconds, kind, ok)
        lock = threading.Lock()
        started = time.monotonic()
        stop_at = started + args.seconds

        def client(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < stop_at:
                kind = rng.choices(["page", "callback", "embed"], [20, 60, 20])[0]
                search = random_search(rng)
                if kind == "callback":
                    body = rng.choice(render_requests(callbacks, search))  # either step of a dashboard update
                    request = urllib.request.Request(base + "/_dash-update-component", data=json.dumps(body).encode(),
                                                     headers={"Content-Type": "application/json"})
                else:
                    view = rng.choice(["timeline", "topics"])
                    path = "/" + search if kind == "page" else f"/embed?view={view}&{search.lstrip('?')}"
                    request = urllib.request.Request(base + path)
                t0 = time.monotonic()
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        response.read()
                        ok = response.status == 200
                except (urllib.error.URLError, OSError):
                    ok = False
                with lock:
                    results.append((t0 - started, time.monotonic() - t0, kind, ok))

        killed_at = None
        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        if args.kill_worker_at is not None:
            time.sleep(args.kill_worker_at)
            workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
            if workers:
                os.kill(int(workers[0]), signal.SIGKILL)
                killed_at = time.monotonic() - started
        for thread in threads:
            thread.join(timeout=args.seconds + 60)
    finally:
        server.terminate()
        server.wait(timeout=15)
    return summarise(results, clients=args.clients, seconds=args.seconds, killed_at=killed_at)


def summarise(results: list[tuple[float, float, str, bool]], *, clients: int, seconds: float,
              killed_at: float | None) -> dict:
    """The table's figures from (start s, duration s, kind, ok) per request. With a worker killed at
    `killed_at` s, the errors of requests started before and after that moment are counted apart: the
    ones after it are what the kill cost (requests lost with the worker, or refused while it restarted)."""
    latencies = sorted(s for _, s, _, ok in results if ok)
    errors = [r for r in results if not r[3]]
    summary = {
        "clients": clients, "seconds": seconds, "requests": len(results), "errors": len(errors),
        "requests_per_s": round(len(results) / seconds, 1),
        "p50_ms": round(statistics.median(latencies) * 1000) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95) * 1000) if latencies else None,
        "killed_worker_at_s": round(killed_at, 1) if killed_at is not None else None,
    }
    if killed_at is not None:
        after = [r for r in results if r[0] >= killed_at]
        summary["requests_after_kill"] = len(after)
        summary["errors_before_kill"] = sum(1 for r in errors if r[0] < killed_at)
        summary["errors_after_kill"] = sum(1 for r in after if not r[3])
    for kind in ("page", "callback", "embed"):
        times = [s for _, s, k, ok in results if ok and k == kind]
        summary[f"{kind}_p95_ms"] = round(percentile(times, 0.95) * 1000) if times else None
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--kill-worker-at", type=float, default=None)
    summary = run(parser.parse_args())
    for key, value in summary.items():
        print(f"{key:<22}{value!s:>10}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
