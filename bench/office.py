"""What the office-server benchmarks share: the documented server (or the old sync-worker command,
for comparison) started on a free loopback port, and a /healthz poller."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from workload import free_port

ROOT = Path(__file__).resolve().parent.parent
HEALTH_EVERY_S = 0.1
HEALTH_TIMEOUT_S = 5.0


def server_command(port: int, sync: bool = False, empty_config: Path | None = None) -> list[str]:
    """The documented production command on `port`, or the old sync-worker one (given an empty
    config file: gunicorn reads ./gunicorn.conf.py by default, which would make it threaded)."""
    if sync:
        return [sys.executable, "-m", "gunicorn", "-c", str(empty_config), "-w", "2", "-b", f"127.0.0.1:{port}",
                "--no-control-socket", "app:server"]
    return [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}"]


@contextlib.contextmanager
def office_server(sync: bool = False, events: Path | None = None):
    """Yields (base URL, server process, a function returning the server's log so far); stops it after."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, **({"ALLIANCE_EVENTS": str(events)} if events else {})}
    with tempfile.TemporaryDirectory() as folder, open(Path(folder) / "server.log", "w+") as log:
        empty_config = Path(folder) / "empty.conf.py"
        empty_config.write_text("", encoding="utf-8")
        server = subprocess.Popen(server_command(port, sync, empty_config), cwd=ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)

        def log_text() -> str:
            log.flush()
            return Path(log.name).read_text(encoding="utf-8", errors="replace")

        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("the server did not answer /healthz within 30 s:\n" + log_text())
            time.sleep(0.5)  # every worker up
            yield base, server, log_text
        finally:
            server.terminate()
            server.wait(timeout=30)


def workers_of(pid: int) -> set[str]:
    return set(subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split())


def health_checks(base: str, stop_at: float) -> list[tuple[float, bool]]:
    """(seconds, ok) of a /healthz check every 100 ms until `stop_at`; a failed check counts as
    its timeout, so a worst latency under a second means no check failed."""
    checks = []
    while time.monotonic() < stop_at:
        t0 = time.monotonic()
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=HEALTH_TIMEOUT_S) as response:
                ok = response.status == 200 and json.load(response)["status"] == "ok"
        except (OSError, ValueError):
            ok = False
        elapsed = time.monotonic() - t0
        checks.append((elapsed if ok else max(elapsed, HEALTH_TIMEOUT_S), ok))
        time.sleep(max(0.0, HEALTH_EVERY_S - elapsed))
    return checks


def latency_summary(checks: list[tuple[float, bool]], prefix: str = "health") -> dict:
    from workload import percentile

    latencies = sorted(s for s, _ in checks)
    if not latencies:
        return {f"{prefix}_checks": 0}
    return {f"{prefix}_checks": len(checks), f"{prefix}_failed": sum(not ok for _, ok in checks),
            f"{prefix}_p50_ms": round(percentile(latencies, 0.5) * 1000),
            f"{prefix}_p95_ms": round(percentile(latencies, 0.95) * 1000),
            f"{prefix}_max_ms": round(latencies[-1] * 1000)}
