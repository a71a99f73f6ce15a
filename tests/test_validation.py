"""The validator: every rule reports file, line and field, and every problem comes in one run."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from alliance.record import read_record

from .conftest import BASE_EVENT, ROOT, event, make_record, problems_of, record_of

NAME = "2000-01-02-test-event.yaml"
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))

# (case, file name, content, text on the expected line (None: line 1), field, message fragment)
BAD_INPUTS = [
    ("yaml syntax", NAME, BASE_EVENT.replace("title: A test event", "title: [unclosed"), "summary:", "yaml", "syntax error"),
    ("not utf-8", NAME, BASE_EVENT.encode().replace(b"A test event", b"Caf\xe9 event"), "title:", "encoding", "not UTF-8"),
    ("empty file", NAME, "", None, "file", "empty"),
    ("comments only", NAME, "# nothing here\n", None, "file", "empty"),
    ("wrong type: title", NAME, event(title="[a, b]"), "title:", "title", "expected text"),
    ("wrong type: importance", NAME, event(importance="high"), "importance:", "importance", "whole number from 1 to 3"),
    ("importance out of range", NAME, event(importance="4"), "importance:", "importance", "whole number from 1 to 3"),
    ("missing required field", NAME, event(summary=None), "id:", "summary", "missing required field"),
    ("unknown field suggests", NAME, event(titel="Typo"), "titel:", "titel", "did you mean 'title'"),
    ("duplicate key", NAME, BASE_EVENT + "title: Second title\n", "title: Second", "title", "duplicate key (first at line 3)"),
    ("impossible date", "2021-02-30-test-event.yaml", event(date="2021-02-30"), "date:", "date", "February 2021 has 28 days"),
    ("malformed date", NAME, event(date="Jan 2 2000"), "date:", "date", "not a date of the form"),
    ("end before start", NAME, event(end_date="1999-12"), "end_date:", "end_date", "before the start date"),
    ("unknown topic", NAME, event(topics="[security, trad]"), "topics:", "topics[1]", "unknown topic 'trad' (did you mean 'trade'?)"),
    ("unknown kind", NAME, event(kind="treatyy"), "kind:", "kind", "unknown kind 'treatyy'"),
    ("javascript url", NAME, event(sources="\n  - title: Evil\n    url: javascript:alert(1)"), "url:", "sources[0].url", "not an http(s) URL"),
    ("unbalanced [ in url host", NAME, event(sources="\n  - title: Odd\n    url: https://[example.org/a"), "url:", "sources[0].url", "not an http(s) URL"),
    ("source without title", NAME, event(sources="\n  - url: https://example.org/"), "- url:", "sources[0].title", "missing required field"),
    ("no sources", NAME, event(sources="[]"), "sources:", "sources", "at least 1 item"),
    ("title too long", NAME, event(title="x" * 121), "title:", "title", "121 characters long; the limit is 120"),
    ("bad id", "2000-01-02-Bad_Id.yaml", event(id="Bad_Id"), "id:", "id", "not a slug"),
    ("file name mismatch", "2000-01-02-other-name.yaml", event(), "id:", "id", "file name should be 2000-01-02-test-event.yaml"),
    ("related to itself", NAME, event(related="[test-event]"), "related:", "related", "related to itself"),
    ("url host with a trailing dot", NAME, event(sources="\n  - title: A source\n    url: https://history.state.gov./x"),
     "    url:", "sources[0].url", "host ends with a dot"),
    ("related id missing", NAME, event(related="[no-such-event]"), "related:", "related[0]", "no event has id 'no-such-event'"),
    ("billion laughs", NAME, LAUGHS, "b: &b", "yaml", "aliases"),
    ("custom tag", NAME, event(title="!!python/object/apply:os.system [ls]"), "title:", "yaml", "custom tag"),
    ("local custom tag", NAME, event(title="!shout hello"), "title:", "yaml", "custom tag"),
    ("deep nesting", NAME, "a: " + "[" * 5000 + "]" * 5000 + "\n", None, "yaml", "nesting deeper"),
    ("not a mapping", NAME, "- just\n- a list of strings\n", "- just", "[0]", "expected a mapping"),
]


@pytest.mark.parametrize("case, name, content, line_text, field, message", BAD_INPUTS, ids=[row[0] for row in BAD_INPUTS])
def test_each_rule_names_file_line_and_field(tmp_path, case, name, content, line_text, field, message):
    folder = make_record(tmp_path / "events", {name: content})
    problems = problems_of(read_record(folder))
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    line = 1 if line_text is None else next(i for i, ln in enumerate(text.splitlines(), 1) if line_text in ln)
    matching = [p for p in problems if p.field == field and message in p.message]
    assert matching, f"no problem with field {field!r} and {message!r} in {[str(p) for p in problems]}"
    assert matching[0].path.endswith(name)
    assert matching[0].line == line
    assert str(matching[0]).startswith(f"{matching[0].path}:{line}: {field}: ")


def test_duplicate_ids_name_both_files(tmp_path):
    folder = make_record(tmp_path / "events", {NAME: event(), "batch.yaml": "- " + event().replace("\n", "\n  ").rstrip() + "\n"})
    problems = problems_of(read_record(folder))
    duplicates = [p for p in problems if "duplicate id 'test-event'" in p.message]
    assert {p.path.rsplit("/", 1)[-1] for p in duplicates} == {NAME, "batch.yaml"}
    assert all(("batch.yaml" in p.message) != p.path.endswith("batch.yaml") for p in duplicates)


def test_every_problem_in_one_run(tmp_path):
    files = {row[1] if row[1] != NAME else f"2000-01-02-case-{i}.yaml": row[2] for i, row in enumerate(BAD_INPUTS)}
    folder = make_record(tmp_path / "events", files)
    problems = problems_of(read_record(folder))
    assert len({p.path for p in problems}) == len(files)


def test_billion_laughs_is_rejected_quickly(tmp_path):
    folder = make_record(tmp_path / "events", {NAME: LAUGHS * 3})
    started = time.perf_counter()
    problems = problems_of(read_record(folder))
    assert time.perf_counter() - started < 5  # expanded, it would be 9**9 items
    assert any("aliases" in p.message for p in problems)


def test_a_list_file_holds_several_events(tmp_path):
    second = event(id="second-event", date="2001")
    batch = "".join("- " + text.replace("\n", "\n  ").rstrip() + "\n" for text in (event(), second))
    record = record_of(read_record(make_record(tmp_path / "events", {"batch.yaml": batch})))
    assert [e.id for e in record.events] == ["test-event", "second-event"]


def test_problems_in_list_files_point_at_the_item(tmp_path):
    batch = "- " + event().replace("\n", "\n  ").rstrip() + "\n- " + event(id="b", kind="nope").replace("\n", "\n  ").rstrip() + "\n"
    problems = problems_of(read_record(make_record(tmp_path / "events", {"batch.yaml": batch})))
    kind_line = [i for i, ln in enumerate(batch.splitlines(), 1) if "kind: nope" in ln][0]
    assert [(p.line, p.field) for p in problems] == [(kind_line, "kind")]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "alliance", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_cli_reports_every_problem_and_exits_1(tmp_path):
    folder = make_record(tmp_path / "events", {NAME: event(kind="treatyy", titel="x"),
                                               "2000-01-03-b.yaml": event(id="b", date="2000-01-03", date_extra="1")})
    result = run_cli("validate", str(folder))
    assert result.returncode == 1
    lines = [ln for ln in result.stdout.splitlines() if ln]
    assert len(lines) == 3
    assert any(": kind: unknown kind 'treatyy'" in ln for ln in lines)
    assert any(": titel: unknown field" in ln for ln in lines)
    assert any("2000-01-03-b.yaml:" in ln and ": date_extra: unknown field" in ln for ln in lines)
    assert "Traceback" not in result.stderr


def test_cli_clean_record_prints_one_line_and_exits_0(tmp_path):
    folder = make_record(tmp_path / "events", {NAME: BASE_EVENT})
    result = run_cli("validate", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: 1 events") and result.stdout.count("\n") == 1


def test_cli_bad_usage_exits_2():
    assert run_cli("validate", "--no-such-flag").returncode == 2


def test_a_small_file_of_a_million_empty_events_is_one_problem(tmp_path):
    """4 MB of `{}`: the load stops at the limit of events per file instead of checking a million of them
    (the time and memory this takes are in BENCHMARKS.md)."""
    folder = make_record(tmp_path / "events", {"million.yaml": "[" + ", ".join(["{}"] * 1_000_000) + "]\n"})
    problems = problems_of(read_record(folder))
    assert [(p.field, p.message) for p in problems] == [
        ("yaml", "more than 10,000 entries at the top of the file (a list file holds at most 10,000 events: split it)")]


def test_a_mapping_with_too_many_keys_is_one_problem(tmp_path):
    keys = "".join(f"k{i}: v\n" for i in range(10_001))
    problems = problems_of(read_record(make_record(tmp_path / "events", {NAME: keys})))
    assert [(p.line, p.message) for p in problems] == [(10_001, "more than 10,000 entries in one list or mapping")]


def test_after_a_hundred_problems_in_a_file_the_rest_are_counted(tmp_path):
    folder = make_record(tmp_path / "events", {NAME: event(), "empty-events.yaml": "- {}\n" * 10_000})
    result = run_cli("validate", str(folder))
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and len(lines) == 101
    # 7 required fields missing in each of 10,000 events: 100 shown (lines 1 to 15), the rest counted
    assert lines[-1].endswith("empty-events.yaml:15: file: … and 69,900 more problems in this file")


@pytest.mark.parametrize("field, char", [
    ("title", "\u202e"), ("title", "\u202a"), ("summary", "\u2066"), ("summary", "\u2069"), ("title", "\u200b"),
    ("summary", "\u200d"), ("title", "\u2060"), ("title", "\ufeff"), ("summary", "\x9b"), ("note", "\u202e"),
    ("label", "\u200c"),
])
def test_invisible_characters_that_spoof_text_are_problems(tmp_path, field, char):
    text = f'"Seoul\\u{ord(char):04x}gpj.exe signed"'  # YAML's escape: libyaml refuses some of them raw
    problems = problems_of(read_record(make_record(tmp_path / "events", {NAME: event(**{field: text})})))
    assert [(p.field, f"U+{ord(char):04X}" in p.message) for p in problems] == [(field, True)]


def test_invisible_characters_in_vocabulary_labels_and_source_titles_are_problems(tmp_path):
    folder = make_record(tmp_path / "events", {NAME: event(sources='\n  - title: "A \u202esource"')})
    topics = folder / "vocabulary" / "topics.yaml"
    topics.write_text(topics.read_text().replace("label: North Korea", 'label: "North\u200b Korea"'))
    problems = problems_of(read_record(folder))
    assert sorted(p.field for p in problems) == ["label", "sources[0].title"]


def test_ordinary_international_text_is_accepted(tmp_path):
    record = record_of(read_record(make_record(tmp_path / "events", {NAME: event(
        title="한미상호방위조약 signed — “Mutual Defense Treaty”", summary="Café, naïve, 北京, Ñ; a tab\there.")})))
    assert record.events[0].title.startswith("한미")
