"""`related` links go both ways: the validator says which back-link is missing, `links --fix` adds it."""

from __future__ import annotations

import subprocess
import sys

from alliance.record import read_record

from .conftest import ROOT, event, make_record, problems_of, record_of


def _record(tmp_path, **files):
    return make_record(tmp_path / "events", files)


def test_a_one_way_link_is_a_problem_at_the_file_that_must_link_back(tmp_path):
    root = _record(tmp_path, **{"2000-01-02-a.yaml": event(id="a", related="[b]"),
                                "2001-b.yaml": event(id="b", date="2001")})
    problems = problems_of(read_record(root))
    assert [(p.path.rsplit("/", 1)[-1], p.field) for p in problems] == [("2001-b.yaml", "related")]
    assert "add 'a'" in problems[0].message and "2000-01-02-a.yaml" in problems[0].message


def test_links_fix_adds_back_links_and_keeps_comments(tmp_path):
    root = _record(tmp_path, **{
        "2000-01-02-a.yaml": event(id="a", related="[b, c]"),
        "2001-b.yaml": "# curator: check the month\n" + event(id="b", date="2001", related="[d]  # the next step"),
        "2002-c.yaml": event(id="c", date="2002"),
        "2003-d.yaml": event(id="d", date="2003", related="[b]"),
    })
    listed = subprocess.run([sys.executable, "-m", "alliance", "links", str(root)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 1 and "b: add 'a'" in listed.stdout and "c: add 'a'" in listed.stdout
    fixed = subprocess.run([sys.executable, "-m", "alliance", "links", "--fix", str(root)], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    assert fixed.returncode == 0, fixed.stderr
    b = (root / "2001-b.yaml").read_text()
    assert b.startswith("# curator: check the month\n")
    assert "related: [d, a]  # the next step\n" in b
    assert (root / "2002-c.yaml").read_text().endswith("related: [a]\n")
    record = record_of(read_record(root))
    assert {e.id: set(e.related) for e in record.events}["c"] == {"a"}
    assert not list(root.glob(".*partial"))  # nothing left behind
