"""`alliance format`: one canonical text per event, never a change of data."""

from __future__ import annotations

import shutil
import subprocess
import sys

import yaml

from alliance.canonical import format_record, render
from alliance.yamlsafe import parse_yaml_bytes

from .conftest import REAL_EVENTS, ROOT, event, make_record

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


COMMENTED = """\
# Header: sources still to check at the archive

title: A test event  # curator: wording from the treaty text
# TODO: check the date against the Senate record
date: 2000-01-02
id: test-event
summary: "Something happened # not a comment, and a long sentence that keeps going past the folding width."
topics:
- security
kind: treaty
sources:
# the best source
- {title: "A #1 source", url: "https://example.org/a#fragment"}  # curator: read in 2024
"""


def comment_lines(text: str) -> list[str]:
    return sorted(line.strip() if line.lstrip().startswith("#") else line[line.index("  #") + 2:]
                  for line in text.splitlines() if line.lstrip().startswith("#") or "  #" in line)


def test_format_keeps_every_comment_and_changes_only_layout(tmp_path):
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": COMMENTED})
    changed, skipped = format_record(folder, check=False)
    assert len(changed) == 1 and skipped == []
    text = (folder / "2000-01-02-test-event.yaml").read_text()
    assert yaml.safe_load(text) == yaml.safe_load(COMMENTED)
    assert comment_lines(text) == comment_lines(COMMENTED)
    assert "# TODO: check the date against the Senate record\ndate: 2000-01-02\n" in text  # above its field
    assert "title: A test event  # curator: wording from the treaty text\n" in text  # on its field's line
    assert text.startswith("# Header: sources still to check at the archive\n\nid: test-event\n")
    assert format_record(folder, check=True) == ([], [])  # idempotent, comments and all


def test_a_comment_with_no_place_in_the_canonical_form_leaves_the_file_as_it_is(tmp_path):
    text = event(topics="\n  - security  # the main area")
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": text})
    changed, skipped = format_record(folder, check=False)
    assert changed == [] and len(skipped) == 1 and "a comment in it has no place" in skipped[0]
    assert (folder / "2000-01-02-test-event.yaml").read_text() == text


def test_format_on_the_real_record_with_curators_comments_changes_nothing_but_their_layout(tmp_path):
    """Comments added to real (canonical) files survive `format`, and without them the file is what it was."""
    folder = tmp_path / "events"
    shutil.copytree(REAL_EVENTS, folder)
    originals = {path.name: path.read_text() for path in sorted(folder.glob("[0-9]*.yaml"))}
    for name, text in originals.items():
        first, rest = text.split("\n", 1)
        (folder / name).write_text(f"{first}  # curator: checked\n# TODO: a second source\n{rest}# the end\n")
    result = subprocess.run([sys.executable, "-m", "alliance", "format", str(folder)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for name, text in originals.items():
        formatted = (folder / name).read_text()
        assert comment_lines(formatted) == ["# TODO: a second source", "# curator: checked", "# the end"], name
        without = "".join(line.split("  # curator")[0] + "\n" for line in formatted.splitlines()
                          if not line.lstrip().startswith("#"))
        assert without == text, name
