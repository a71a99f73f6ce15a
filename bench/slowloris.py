"""Slow clients against the office server, on loopback only; it stops by itself.

Starts the documented server (`gunicorn -c gunicorn.conf.py`, or with --sync the old
`gunicorn -w 2` sync workers, for comparison) on a free 127.0.0.1 port. Then N slow clients each
open a connection and send a request's headers one byte every 50 ms, never finishing them, for S
seconds (a client the server drops reconnects), while one client polls /healthz every 100 ms. Reports
the worst and median /healthz latency (a failed or timed-out check counts as its timeout, 5 s), how
many checks failed, and whether gunicorn killed a worker (WORKER TIMEOUT in its log, or a changed
worker pid). Prints a table, then one JSON line.

  .venv/bin/python bench/slowloris.py [--clients 8] [--seconds 30] [--sync]
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from office import health_checks, latency_summary, office_server, workers_of  # noqa: E402

BYTE_EVERY_S = 0.05
HEADERS = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\nX-Padding: " + b"a" * 100_000


def slow_client(port: int, stop_at: float, sent: list[int]) -> None:
    """Trickle headers until `stop_at`; reconnect when the server drops the connection."""
    while time.monotonic() < stop_at:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
                for byte in HEADERS:  # bounded: far more bytes than the run has time to send
                    if time.monotonic() >= stop_at:
                        return
                    conn.sendall(bytes([byte]))
                    sent[0] += 1
                    time.sleep(BYTE_EVERY_S)
        except OSError:
            time.sleep(BYTE_EVERY_S)


def run(clients: int = 8, seconds: float = 30, sync: bool = False, events: Path | None = None) -> dict:
    with office_server(sync, events) as (base, server, log_text):
        port = int(base.rsplit(":", 1)[1])
        workers_before = workers_of(server.pid)
        stop_at = time.monotonic() + seconds
        sent = [0]
        attackers = [threading.Thread(target=slow_client, args=(port, stop_at, sent), daemon=True) for _ in range(clients)]
        for attacker in attackers:
            attacker.start()
        time.sleep(0.5)  # the slow connections are open before the first check
        checks = health_checks(base, stop_at)
        for attacker in attackers:
            attacker.join(timeout=10)
        workers_after = workers_of(server.pid)
        log = log_text()
    return {
        "server": "gunicorn -w 2 (sync)" if sync else "gunicorn -c gunicorn.conf.py",
        "slow_clients": clients, "seconds": seconds, "bytes_trickled": sent[0], **latency_summary(checks),
        "worker_timeouts": log.count("WORKER TIMEOUT"), "workers_replaced": len(workers_before - workers_after),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--sync", action="store_true", help="the old sync-worker command, for comparison")
    parser.add_argument("--events", type=Path, default=None, help="record folder (default: $ALLIANCE_EVENTS or events/)")
    args = parser.parse_args()
    summary = run(args.clients, args.seconds, args.sync, args.events)
    for key, value in summary.items():
        print(f"{key:<18}{value!s:>30}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
