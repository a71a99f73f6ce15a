"""bench/load.py's report: errors after a worker kill are counted apart from those before it."""

from __future__ import annotations

import sys

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from load import summarise  # noqa: E402


def test_errors_after_the_worker_kill_are_reported_separately():
    results = [(1.0, 0.01, "page", True), (2.0, 0.02, "callback", False), (9.9, 0.5, "embed", False),
               (10.0, 0.01, "page", False), (10.5, 0.03, "callback", False), (12.0, 0.02, "embed", True)]
    summary = summarise(results, clients=2, seconds=20, killed_at=10.0)
    assert (summary["errors"], summary["errors_before_kill"], summary["errors_after_kill"]) == (4, 2, 2)
    assert summary["requests_after_kill"] == 3 and summary["killed_worker_at_s"] == 10.0


def test_without_a_kill_there_is_no_split():
    summary = summarise([(1.0, 0.01, "page", True)], clients=1, seconds=1, killed_at=None)
    assert summary["errors"] == 0 and "errors_after_kill" not in summary and summary["killed_worker_at_s"] is None
