"""The app without a browser: callbacks called as functions, and the start-up refusal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from alliance.record import load_record
from components.callbacks import filter_view

from .conftest import ROOT, event, make_record


@pytest.fixture
def record(tmp_path):
    return load_record(make_record(tmp_path / "events", {
        "1953-10-01-treaty.yaml": event(id="treaty", date="1953-10-01"),
        "2007-06-30-korus.yaml": event(id="korus", date="2007-06-30", topics="[trade]"),
        "2018-11-20-group.yaml": event(id="group", date="2018-11-20", topics="[north-korea, security]"),
    }))


def points(figure) -> int:
    return sum(len(trace.x) for trace in figure.data)


def test_all_areas_ticked_shows_everything(record):
    figure, count = filter_view(record, [t.id for t in record.vocab.topics])
    assert count == "3 of 3 events" and points(figure) == 4  # `group` sits in two lanes


def test_one_area_filters_figure_and_count(record):
    figure, count = filter_view(record, ["trade"])
    assert count == "1 of 3 events" and points(figure) == 1


def test_only_the_chosen_lanes_are_drawn(record):
    figure, _ = filter_view(record, ["north-korea"])
    assert [trace.name for trace in figure.data] == ["North Korea"] and points(figure) == 1


def test_no_area_ticked_shows_nothing(record):
    figure, count = filter_view(record, [])
    assert count == "0 of 3 events" and points(figure) == 0


def test_unknown_area_values_are_ignored(record):
    assert filter_view(record, ["trade", "<script>"])[1] == "1 of 3 events"


def test_app_refuses_to_start_on_an_invalid_record(tmp_path):
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": event(kind="nope", titel="x")})
    result = subprocess.run([sys.executable, "app.py", "--events", str(folder), "--port", "8999"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Not starting" in result.stderr and ": kind: unknown kind 'nope'" in result.stderr and ": titel: unknown field" in result.stderr
    assert "Traceback" not in result.stderr


def test_module_exposes_a_wsgi_server_for_the_configured_record(tmp_path):
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": event()})
    probe = "import app; r = app.server.test_client().get('/'); print(r.status_code, 'Alliance Timeline' in r.text)"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "ALLIANCE_EVENTS": str(folder)})
    assert result.stdout.strip() == "200 True", result.stderr
