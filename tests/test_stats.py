"""`alliance stats`: the curator's overview counts what is really in the record."""

from __future__ import annotations

from alliance.record import load_record
from alliance.stats import render_stats

from .conftest import event, make_record


def test_stats_count_and_list_gaps(tmp_path):
    record = load_record(make_record(tmp_path / "events", {
        "1953-10-01-a.yaml": event(id="a", date="1953-10-01", related="[b]"),
        "1958-b.yaml": event(id="b", date="1958", topics="[security, trade]", related="[a]"),
        "2007-06-30-c.yaml": event(id="c", date="2007-06-30", sources="\n  - title: Offline only"),
    }))
    text = render_stats(record)
    lines = [line.split() for line in text.splitlines()]
    assert ["security", "3"] in lines and ["trade", "1"] in lines
    assert ["1950s", "2"] in lines and ["2000s", "1"] in lines
    assert ["year", "1"] in lines and ["day", "2"] in lines
    no_url = text.split("Events with no URL among their sources (1):")[1].split("\n\n")[0]
    assert no_url.split() == ["c"]
    assert text.rstrip().endswith("(1):\n  c")


def test_stats_count_url_sources_and_series(tmp_path):
    record = load_record(make_record(tmp_path / "events", {
        "1953-10-01-a.yaml": event(id="a", date="1953-10-01", related="[b]"),
        "1958-b.yaml": event(id="b", date="1958", related="[a, c]"),
        "2007-06-30-c.yaml": event(id="c", date="2007-06-30", related="[b]", sources="\n  - title: Offline only"),
        "2010-d.yaml": event(id="d", date="2010"),
    }))
    text = render_stats(record)
    assert "Events with a URL source: 3 of 4 (75%)" in text
    assert "One-way related links (0):" in text
    assert "Series (events joined by related links): 2, of which 1 with two or more events" in text
    assert text.split("the largest:\n")[1].split("\n")[0].split() == ["3", "a", "…", "c"]
