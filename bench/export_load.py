"""Clients looping PowerPoint exports against the office server, on loopback only; it stops by itself.

Starts the documented server (or with --sync the old `gunicorn -w 2` sync workers) on a free
127.0.0.1 port. N clients post the Export button's callback for a PowerPoint deck of the whole record,
back to back with no pause (a busy answer is retried at once, ignoring Retry-After: the harsh case),
for S seconds, while /healthz is polled every 100 ms and a dashboard update (the timeline's render
callback) is timed every 250 ms. The first image export in each worker starts its browser, inside the
run. Reports /healthz and dashboard latency, decks delivered, busy answers and errors. Prints a
table, then one JSON line.

  .venv/bin/python bench/export_load.py [--clients 2] [--seconds 30] [--sync]
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from office import health_checks, latency_summary, office_server  # noqa: E402
from workload import render_callbacks, render_requests  # noqa: E402

BUSY_PREFIX = "The server is busy"


def post(base: str, payload: dict, timeout: float = 60) -> tuple[int, dict | None]:
    request = urllib.request.Request(base + "/_dash-update-component", data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, None
    except (OSError, ValueError):
        return 0, None


def export_request(dependencies: list[dict]) -> dict:
    spec = next(d for d in dependencies if "export-status.children" in d["output"])
    values = {"export-button.n_clicks": 1, "url.search": "", "export-view.value": "timeline",
              "export-format.value": "pptx", "export-size.value": "1920x1080"}

    def sent(items):
        return [{"id": i["id"], "property": i["property"], "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

    outputs = [dict(zip(("id", "property"), part.split(".", 1), strict=True)) for part in spec["output"][2:-2].split("...")]
    return {"output": spec["output"], "outputs": outputs, "inputs": sent(spec["inputs"]), "state": sent(spec["state"]),
            "changedPropIds": ["export-button.n_clicks"]}


def run(clients: int = 2, seconds: float = 30, sync: bool = False) -> dict:
    with office_server(sync) as (base, _server, _log):
        dependencies = json.load(urllib.request.urlopen(base + "/_dash-dependencies", timeout=10))
        deck = export_request(dependencies)
        timeline = render_requests(render_callbacks(dependencies), "?topics=security,trade")[0]
        counts = {"decks": 0, "busy": 0, "errors": 0}
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def exporter() -> None:
            while time.monotonic() < stop_at:
                status, answer = post(base, deck)
                text = str(((answer or {}).get("response") or {}).get("export-status", {}).get("children", ""))
                outcome = "decks" if status == 200 and text.startswith("Downloaded") else \
                    "busy" if status == 200 and text.startswith(BUSY_PREFIX) else "errors"
                with lock:
                    counts[outcome] += 1

        updates: list[tuple[float, bool]] = []

        def dashboard() -> None:
            while time.monotonic() < stop_at:
                t0 = time.monotonic()
                status, _ = post(base, timeline, timeout=30)
                updates.append((time.monotonic() - t0, status == 200))
                time.sleep(max(0.0, 0.25 - (time.monotonic() - t0)))

        threads = [threading.Thread(target=exporter, daemon=True) for _ in range(clients)]
        threads.append(threading.Thread(target=dashboard, daemon=True))
        for thread in threads:
            thread.start()
        checks = health_checks(base, stop_at)
        for thread in threads:
            thread.join(timeout=90)
    return {"server": "gunicorn -w 2 (sync)" if sync else "gunicorn -c gunicorn.conf.py", "export_clients": clients,
            "seconds": seconds, **counts, **latency_summary(checks), **latency_summary(updates, "update")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--sync", action="store_true", help="the old sync-worker command, for comparison")
    args = parser.parse_args()
    summary = run(args.clients, args.seconds, args.sync)
    for key, value in summary.items():
        print(f"{key:<18}{value!s:>30}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
