"""`alliance format`: one canonical text per event, never a change of data."""

from __future__ import annotations

import yaml

from alliance.canonical import format_record, render
from alliance.yamlsafe import parse_yaml_bytes

from .conftest import event, make_record

MESSY = """\
sources:
- {title: "A source", url: "https://example.org/a"}
kind: treaty
topics:
  - security
summary: "Something happened: with a colon, and a very long sentence that keeps going well past the folding width of ninety-six columns."
title: 'Title: with colon'
date: 2000-01-02
id: test-event
"""


def test_format_reorders_and_keeps_data(tmp_path):
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": MESSY})
    changed, skipped = format_record(folder, check=False)
    assert len(changed) == 1 and changed[0].endswith("2000-01-02-test-event.yaml") and skipped == []
    text = (folder / "2000-01-02-test-event.yaml").read_text()
    assert yaml.safe_load(text) == yaml.safe_load(MESSY)
    assert [line.split(":")[0] for line in text.splitlines() if line and not line.startswith(" ")] == \
        ["id", "date", "title", "summary", "topics", "kind", "sources"]
    assert "topics: [security]" in text and "summary: >-" in text
    assert format_record(folder, check=True) == ([], [])  # idempotent


def test_check_mode_reports_a_diff_and_writes_nothing(tmp_path):
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": MESSY})
    changed, _ = format_record(folder, check=True)
    assert len(changed) == 1 and changed[0].startswith("---") and "+id: test-event" in changed[0]
    assert (folder / "2000-01-02-test-event.yaml").read_text() == MESSY


def test_unparseable_files_are_left_alone(tmp_path):
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": "id: [broken\n"})
    assert format_record(folder, check=False)[1] and (folder / "2000-01-02-test-event.yaml").read_text() == "id: [broken\n"


def test_tricky_strings_round_trip():
    for title in ["#1 ally", "- dash first", "yes", "2020", "a: b", "quote 'single' and \"double\"", "  padded  ", "null",
                  "[Korea Encounters] Peace Corps", "{braces}", "ends with colon:", "x: y", "% percent", "@at", "`tick"]:
        text = render(yaml.safe_load(event(title=yaml.safe_dump(title, default_flow_style=True).strip().removesuffix("\n..."))))
        documents, problems = parse_yaml_bytes(text.encode(), "x")
        assert problems == [] and documents[0]["title"] == title, text
