"""The app without a browser: callbacks called as functions, and the start-up refusal."""

from __future__ import annotations

import os
import subprocess
import sys

import plotly.graph_objects as go
import pytest
from dash import no_update

from alliance.record import load_record
from components import ids
from components.callbacks import render, sync

from .conftest import ROOT, event, make_record


@pytest.fixture
def record(tmp_path):
    return load_record(make_record(tmp_path / "events", {
        "1953-10-01-treaty.yaml": event(id="treaty", date="1953-10-01", importance="3"),
        "2007-06-30-korus.yaml": event(id="korus", date="2007-06-30", topics="[trade]", kind="agreement",
                                       title="'KORUS <b>FTA</b> signed'",
                                       sources="\n  - title: Evil\n    url: https://example.org/ok\n  - title: Offline",
                                       related="[group]"),
        "2018-11-20-group.yaml": event(id="group", date="2018-11-20", topics="[north-korea, security]", related="[korus]"),
    }))


def marker_points(figure) -> int:
    return sum(len(t.x) for t in go.Figure(figure).data if getattr(t, "mode", None) == "markers" and t.name in {"Security &amp; defense", "North Korea",
                                                                                     "Trade &amp; economy"})


def test_render_with_no_query_shows_everything(record):
    timeline, years, matrix, count, table, detail, narrative = render(record, "")
    assert count == "3 of 3 events" and len(table) == 3
    assert marker_points(timeline) == 4  # `group` sits in two lanes


def test_render_filters_every_view_alike(record):
    timeline, years, _, count, table, _, _ = render(record, "?topics=trade")
    assert count == "1 of 3 events" and [row["id"] for row in table] == ["korus"]
    lanes = [t["name"] for t in timeline["data"] if t.get("mode") == "markers" and t["name"] != "Selected event"
             and not t.get("showlegend")]  # key entries carry no points
    assert lanes == ["Trade &amp; economy"]
    assert [t["name"] for t in years["data"]] == ["Trade &amp; economy"]  # record text reaches plotly escaped


def test_render_dim_mode_keeps_filtered_out_events_visible(record):
    timeline, _, _, count, table, _, _ = render(record, "?topics=trade&mode=dim")
    assert count == "1 of 3 events" and len(table) == 1
    assert marker_points(timeline) == 1  # only the trade lane is asked for...
    all_lanes, *_ = render(record, "?kinds=agreement&mode=dim")
    assert marker_points(all_lanes) == 4  # ...but with every lane, dimmed events stay drawn


def test_detail_panel_renders_text_and_only_web_links(record):
    detail = render(record, "?event=korus")[5]
    text = str(detail)
    assert "KORUS <b>FTA</b> signed" in text  # a string child: React shows it as text, not markup
    assert "href='https://example.org/ok'" in text.replace('"', "'")
    assert text.count("href=") == 1  # the source without URL is not a link


def test_sync_from_url_sets_the_controls(record):
    url, controls = sync(record, "?topics=trade,bogus&importance=3&q=korus", ids.URL, None)
    assert url is no_update
    assert controls[ids.TOPIC_FILTER] == ["trade"] and controls[ids.IMPORTANCE_FILTER] == [3]
    assert controls[ids.SEARCH] == "korus"


def test_sync_from_a_control_writes_the_url(record):
    url, controls = sync(record, "", ids.TOPIC_FILTER, ["trade", "security"])
    assert url == "?topics=security,trade"


def test_sync_ignores_buttons_that_were_only_rendered(record):
    assert sync(record, "?event=group", {"type": ids.RELATED, "index": "korus"}, None) == (no_update, {})


def test_sync_related_click_opens_that_event(record):
    url, _ = sync(record, "?event=group", {"type": ids.RELATED, "index": "korus"}, 1)
    assert url == "?event=korus"


def test_app_refuses_to_start_on_an_invalid_record(tmp_path):
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": event(kind="nope", titel="x")})
    result = subprocess.run([sys.executable, "app.py", "--events", str(folder), "--port", "8999"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Not starting" in result.stderr and ": kind: unknown kind 'nope'" in result.stderr
    assert ": titel: unknown field" in result.stderr and "Traceback" not in result.stderr


def test_module_exposes_a_wsgi_server_for_the_configured_record(tmp_path):
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": event()})
    probe = "import app; r = app.server.test_client().get('/'); print(r.status_code, 'Alliance Timeline' in r.text)"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "ALLIANCE_EVENTS": str(folder)})
    assert result.stdout.strip() == "200 True", result.stderr


def test_a_large_selection_lists_only_the_first_rows_and_says_so(record, monkeypatch):
    monkeypatch.setattr("components.detail.TABLE_LIMIT", 2)
    _, _, _, count, table, _, _ = render(record, "")
    assert [row["id"] for row in table] == ["treaty", "korus"]  # date order
    assert count == "3 of 3 events (table: first 2)"
    assert render(record, "?topics=trade")[3] == "1 of 3 events"  # under the limit: no note


def test_figures_already_on_screen_are_not_sent_again(record):
    from components.callbacks import figure_keys
    from components.state import parse

    def keys(search):
        return figure_keys(parse(record, search))

    filtered, opened = keys("?topics=trade"), keys("?topics=trade&event=korus&mode=dim")
    assert filtered["topic-years"] == opened["topic-years"] and filtered["topic-matrix"] == opened["topic-matrix"]
    assert filtered["timeline"] != opened["timeline"]  # the selected event is ringed on the timeline
    assert keys("?topics=trade")["topic-years"] != keys("?topics=security")["topic-years"]
    assert keys("")["topic-matrix"] != keys("?matrix=rok")["topic-matrix"]
    assert keys("")["topic-years"] == keys("?matrix=rok")["topic-years"]  # the country changes the matrix only
    timeline, years, matrix, *_ = render(record, "?topics=trade&event=korus", skip={"topic-years", "topic-matrix"})
    assert years is no_update and matrix is no_update and marker_points(timeline) == 1


def test_the_table_is_sent_again_only_when_its_rows_change(record):
    """Opening or stepping through events keeps the table's rows (and so its scroll and focus) as they are."""
    from components.callbacks import figure_keys
    from components.state import parse

    def key(search):
        return figure_keys(parse(record, search))["table"]

    assert key("?topics=trade") == key("?topics=trade&event=korus&mode=dim&narrative=x&matrix=rok")
    assert key("?topics=trade") != key("?topics=security") != key("?from=2000") != key("?q=korus")
    *_, table, _, _ = render(record, "?event=korus", skip={"table"})
    assert table is no_update
    assert [row["id"] for row in render(record, "?topics=trade")[4]] == ["korus"]
