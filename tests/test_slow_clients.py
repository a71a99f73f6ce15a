"""The documented office server keeps answering while slow clients trickle their headers in.

With sync workers, two such clients held both workers: every health check failed until gunicorn
killed the workers (issue 14). This is the short form of `bench/slowloris.py`, whose 30-second
figures are in BENCHMARKS.md: a few slow clients for a few seconds.
"""

from __future__ import annotations

import sys

from .conftest import ROOT, event, make_record

sys.path.insert(0, str(ROOT / "bench"))

from slowloris import run  # noqa: E402


def test_health_checks_keep_answering_while_slow_clients_hold_connections(tmp_path):
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": event()})
    result = run(clients=4, seconds=5, events=folder)
    assert result["bytes_trickled"] > 4 * 50  # the slow clients were really sending all along
    assert result["health_checks"] > 10 and result["health_failed"] == 0
    assert result["health_max_ms"] < 1000
    assert result["worker_timeouts"] == 0 and result["workers_replaced"] == 0
